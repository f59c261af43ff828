// Every rule of the catalogue, in the order of DESIGN.md. Rule ids are public interface.
import type { Rule } from './rule';
import { sndbufZeroWithoutOverlapped } from './sndbuf-zero-without-overlapped';
import { unhandledWouldblock } from './unhandled-wouldblock';
import { wouldblockBusyRetry } from './wouldblock-busy-retry';
import { smallSendsNagle } from './small-sends-nagle';
import { writeWriteRead } from './write-write-read';
import { splitRequestResponseChannels } from './split-request-response-channels';
import { sockoptAfterConnect } from './sockopt-after-connect';
import { partialSendIgnored } from './partial-send-ignored';
import { recvMessageBoundary } from './recv-message-boundary';
import { largeRcvbufPerConnection } from './large-rcvbuf-per-connection';

const RULES: readonly Rule[] = [
  sndbufZeroWithoutOverlapped, unhandledWouldblock, wouldblockBusyRetry, smallSendsNagle, writeWriteRead,
  splitRequestResponseChannels, sockoptAfterConnect, partialSendIgnored, recvMessageBoundary, largeRcvbufPerConnection,
];

export function allRules(): readonly Rule[] { return RULES; }

export function ruleById(id: string): Rule | undefined { return RULES.find((r) => r.id === id); }
