// The `.socklintrc.json` format, shared by the CLI and the language server. Pure: no fs, no vscode.
// The keys are the VS Code settings without the `socklint.` prefix. A bad key or value is reported
// by name and dropped; the rest of the file still applies.
// The ESM build: the package's default UMD build loads its parts with a dynamic require that
// bundlers cannot follow.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { PROFILE_SETTINGS, type ProfileSetting } from '../common/scenario';
import { DEFAULT_MAX_FILE_SIZE_BYTES, DEFAULT_TIME_BUDGET_MS, type LintOptions, type SeveritySetting } from './types';

export const CONFIG_FILE_NAME = '.socklintrc.json';
/** Config files larger than this are not read (a config is a few hundred bytes). */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;

/** The keys that bound how much work (time, memory) one file may cost. */
export const LIMIT_KEYS = ['maxFileSizeKb', 'timeBudgetMs'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
export type Limits = Record<LimitKey, number>;

/** What applies when nobody sets a limit. */
export const DEFAULT_LIMITS: Readonly<Limits> = { maxFileSizeKb: DEFAULT_MAX_FILE_SIZE_BYTES / 1024, timeBudgetMs: DEFAULT_TIME_BUDGET_MS };
/**
 * How far a repository (its .socklintrc.json, its workspace settings) may raise the limits. Only
 * the user changes these: command-line flags, user or machine settings. With them, one file costs
 * at most a few hundred MB and ten seconds (SECURITY.md has the measured figures).
 */
export const DEFAULT_CEILINGS: Readonly<Limits> = { maxFileSizeKb: 4096, timeBudgetMs: 10_000 };

/**
 * Lowers the limits a repository's config asks for to `ceilings`, with one note per value lowered
 * (`why(key, ceiling)` says what the ceiling is and who can raise it). For an untrusted workspace
 * the caller passes the user's own limits (or the defaults) as the ceilings: the repository may
 * then only tighten them.
 */
export function capLimits(
  config: SocklintConfig, ceilings: Readonly<Limits>, source: string, why: (key: LimitKey, ceiling: number) => string,
): { config: SocklintConfig; notes: string[] } {
  const notes: string[] = [];
  const out = { ...config };
  for (const key of LIMIT_KEYS) {
    const v = config[key];
    if (v !== undefined && v > ceilings[key]) {
      out[key] = ceilings[key];
      notes.push(`${source}: "${key}": ${v} is over ${why(key, ceilings[key])}; using ${ceilings[key]}`);
    }
  }
  return { config: out, notes };
}

export interface SocklintConfig {
  /** Rule id or glob ("*", "wouldblock-*") to severity; later keys win. */
  rules?: Record<string, SeveritySetting>;
  profile?: ProfileSetting;
  maxFileSizeKb?: number;
  /** "auto" (detect) or an encoding name such as utf8, cp949, gbk, shift_jis, latin1. */
  encoding?: string;
  timeBudgetMs?: number;
  /** Gitignore-style globs, relative to the directory holding the config file. */
  ignore?: string[];
  /** Editor only: when the language server lints (the CLI ignores it). */
  run?: 'onType' | 'onSave';
}

export interface ParseConfigOptions {
  /** Known rule ids: when given, rule keys that match none of them are reported. */
  ruleIds?: readonly string[];
  /** Checks encoding names (the CLI passes iconv-lite's encodingExists). */
  encodingExists?: (name: string) => boolean;
}

const SEVERITY_NAMES: Record<string, SeveritySetting> = {
  off: 'off', hint: 'hint', info: 'info', information: 'info',
  warning: 'warning', warn: 'warning', error: 'error',
};

/** Maps a user-written severity (any case, with the aliases `information` and `warn`) to a setting. */
export function parseSeverity(name: string): SeveritySetting | undefined {
  return Object.hasOwn(SEVERITY_NAMES, name.toLowerCase()) ? SEVERITY_NAMES[name.toLowerCase()] : undefined;
}

export const SEVERITY_CHOICES = Object.keys(SEVERITY_NAMES).join('|');

/** True when a rule key (an id, or a glob with `*` and `?`) selects the rule id. */
export function ruleKeyMatches(key: string, ruleId: string): boolean {
  if (!/[*?]/.test(key)) return key === ruleId;
  const re = key.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(ruleId);
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

/**
 * Parses `.socklintrc.json` text (comments and trailing commas allowed). `source` names the file in
 * errors. A syntax error yields an empty config (defaults); a bad key or value yields an error
 * naming it and the other keys still apply.
 */
export function parseConfigText(
  text: string,
  source: string,
  options: ParseConfigOptions = {},
): { config: SocklintConfig; errors: string[] } {
  const errors: string[] = [];
  const parseErrors: ParseError[] = [];
  const body = text.replace(/^\uFEFF/, '');
  if (body.length > MAX_CONFIG_FILE_BYTES) {
    errors.push(`${source}: larger than ${MAX_CONFIG_FILE_BYTES / 1024} KB, not read; using the defaults`);
    return { config: {}, errors };
  }
  if (body.trim() === '') return { config: {}, errors };
  const raw: unknown = parseJsonc(body, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0) {
    const e = parseErrors[0];
    errors.push(`${source}:${lineCol(body, e.offset)}: invalid JSON (${printParseErrorCode(e.error)}); using the defaults`);
    return { config: {}, errors };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(`${source}: expected a JSON object at the top level; using the defaults`);
    return { config: {}, errors };
  }

  const config: SocklintConfig = {};
  const bad = (key: string, problem: string) => errors.push(`${source}: "${key}": ${problem}; ignored`);
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case '$schema':
        break;
      case 'rules': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          bad(key, 'expected an object of rule id or glob to severity');
          break;
        }
        const rules: Record<string, SeveritySetting> = {};
        for (const [id, sev] of Object.entries(value as Record<string, unknown>)) {
          const setting = typeof sev === 'string' ? parseSeverity(sev) : undefined;
          if (!setting) {
            bad(`rules.${id}`, `expected one of ${SEVERITY_CHOICES}, got ${JSON.stringify(sev)}`);
          } else if (options.ruleIds && !options.ruleIds.some((r) => ruleKeyMatches(id, r))) {
            bad(`rules.${id}`, /[*?]/.test(id) ? 'the glob matches no rule' : 'unknown rule id');
          } else {
            rules[id] = setting;
          }
        }
        config.rules = rules;
        break;
      }
      case 'profile':
        if (typeof value === 'string' && (PROFILE_SETTINGS as readonly string[]).includes(value)) config.profile = value as ProfileSetting;
        else bad(key, `expected one of ${PROFILE_SETTINGS.join('|')}, got ${JSON.stringify(value)}`);
        break;
      case 'maxFileSizeKb':
      case 'timeBudgetMs':
        if (typeof value === 'number' && Number.isFinite(value) && value > 0) config[key] = value;
        else bad(key, `expected a positive number, got ${JSON.stringify(value)}`);
        break;
      case 'encoding':
        if (typeof value !== 'string' || value.trim() === '') bad(key, `expected an encoding name or "auto", got ${JSON.stringify(value)}`);
        else if (value !== 'auto' && options.encodingExists && !options.encodingExists(value)) bad(key, `unknown encoding ${JSON.stringify(value)}`);
        else config.encoding = value;
        break;
      case 'ignore':
        if (!Array.isArray(value)) {
          bad(key, 'expected an array of glob strings');
          break;
        }
        config.ignore = [];
        value.forEach((g, i) => {
          if (typeof g === 'string' && g.trim() !== '') config.ignore!.push(g);
          else bad(`ignore[${i}]`, `expected a glob string, got ${JSON.stringify(g)}`);
        });
        break;
      case 'run':
        if (value === 'onType' || value === 'onSave') config.run = value;
        else bad(key, `expected "onType" or "onSave", got ${JSON.stringify(value)}`);
        break;
      default:
        errors.push(`${source}: unknown key "${key}"; ignored (known: rules, profile, maxFileSizeKb, encoding, timeBudgetMs, ignore, run)`);
    }
  }
  return { config, errors };
}

/**
 * Layers configs, later layers winning (e.g. defaults, file, workspace settings, command line).
 * Rule keys are re-appended so a later layer's glob also overrides an earlier layer's exact id;
 * `ignore` lists add up.
 */
export function mergeConfigs(...layers: (SocklintConfig | undefined)[]): SocklintConfig {
  const out: SocklintConfig = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of ['profile', 'maxFileSizeKb', 'encoding', 'timeBudgetMs', 'run'] as const) {
      if (layer[key] !== undefined) (out as Record<string, unknown>)[key] = layer[key];
    }
    if (layer.rules) {
      const rules = { ...out.rules };
      for (const [id, sev] of Object.entries(layer.rules)) {
        delete rules[id];
        rules[id] = sev;
      }
      out.rules = rules;
    }
    if (layer.ignore) out.ignore = [...(out.ignore ?? []), ...layer.ignore];
  }
  return out;
}

/** The engine options a config asks for (encoding and ignore are for whoever reads the files). */
export function toLintOptions(config: SocklintConfig): LintOptions {
  const options: LintOptions = {};
  if (config.profile) options.profile = config.profile;
  if (config.rules) options.rules = { ...config.rules };
  if (config.maxFileSizeKb !== undefined) options.maxFileSizeBytes = Math.round(config.maxFileSizeKb * 1024);
  if (config.timeBudgetMs !== undefined) options.timeBudgetMs = config.timeBudgetMs;
  return options;
}
