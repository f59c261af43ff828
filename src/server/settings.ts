// Turns the editor's `socklint.*` settings and the nearest `.socklintrc.json` into lint options.
// Precedence (DESIGN.md): built-in defaults < .socklintrc.json < settings the user set explicitly.
// The limits that bound one file's cost (maxFileSizeKb, timeBudgetMs) are capped: the repository
// (its .socklintrc.json, its workspace settings) may raise them only up to the user's ceilings,
// and in an untrusted workspace .socklintrc.json may only lower them.
import { childUri, parentUri, sameFolder } from '../common/uri';
import { PROFILE_SETTINGS, type ProfileSetting } from '../common/scenario';
import {
  capLimits, CONFIG_FILE_NAME, DEFAULT_CEILINGS, DEFAULT_LIMITS, LIMIT_KEYS, MAX_CONFIG_FILE_BYTES, mergeConfigs, parseConfigText,
  parseSeverity, toLintOptions, type Limits, type SocklintConfig,
} from '../engine/config';
import type { LintOptions, SeveritySetting } from '../engine/types';
import type { ReadFileResult, SocklintSettings } from './protocol';

export interface EffectiveSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  options: LintOptions;
  /** Problems found in the settings themselves (bad values are dropped, the rest applies). */
  problems: string[];
  /** Limits in the config file that were over what it may ask for (shown on the file). */
  fileNotes: string[];
}

/** Validates settings the way `.socklintrc.json` is validated, so a typo is reported, not thrown. */
export function settingsToConfig(s: SocklintSettings | undefined): { config: SocklintConfig; problems: string[] } {
  const config: SocklintConfig = {};
  const problems: string[] = [];
  if (!s || typeof s !== 'object') return { config, problems };
  if (s.rules && typeof s.rules === 'object') {
    const rules: Record<string, SeveritySetting> = {};
    for (const [id, sev] of Object.entries(s.rules)) {
      const setting = typeof sev === 'string' ? parseSeverity(sev) : undefined;
      if (setting) rules[id] = setting;
      else problems.push(`socklint.rules["${id}"]: expected off|hint|info|warning|error, got ${JSON.stringify(sev)}; ignored`);
    }
    config.rules = rules;
  }
  if (s.profile !== undefined && s.profile !== null && s.profile !== '') {
    if ((PROFILE_SETTINGS as readonly string[]).includes(s.profile)) config.profile = s.profile as ProfileSetting;
    else problems.push(`socklint.profile: unknown profile ${JSON.stringify(s.profile)}; ignored`);
  }
  for (const key of ['maxFileSizeKb', 'timeBudgetMs'] as const) {
    const v = s[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) config[key] = v;
    else problems.push(`socklint.${key}: expected a positive number, got ${JSON.stringify(v)}; ignored`);
  }
  if (s.run === 'onType' || s.run === 'onSave') config.run = s.run;
  return { config, problems };
}

/** The user's ceilings: `socklint.ceiling.*` where valid, else the built-in ones. */
export function ceilingsFrom(s: SocklintSettings | undefined, problems: string[] = []): Limits {
  const ceilings: Limits = { ...DEFAULT_CEILINGS };
  const given = s && typeof s === 'object' && typeof s.ceiling === 'object' && s.ceiling !== null ? s.ceiling : {};
  for (const key of LIMIT_KEYS) {
    const v = (given as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) ceilings[key] = v;
    else problems.push(`socklint.ceiling.${key}: expected a positive number, got ${JSON.stringify(v)}; ignored`);
  }
  return ceilings;
}

/**
 * `fileSource` names the config file in notes. Limits from settings are capped at the ceilings
 * (the extension raises the ceilings to the user's own values, so only workspace values are cut);
 * limits from the file are capped at the ceilings, or, in an untrusted workspace, at the limits
 * that would apply without the file.
 */
export function effectiveSettings(settings: SocklintSettings | undefined, file: SocklintConfig | undefined, fileSource = CONFIG_FILE_NAME): EffectiveSettings {
  const { config: raw, problems } = settingsToConfig(settings);
  const ceilings = ceilingsFrom(settings, problems);
  const fromSettings = capLimits(raw, ceilings, 'settings', (key, c) => `the ceiling of ${c} (only the user setting socklint.ceiling.${key} can raise it)`);
  problems.push(...fromSettings.notes.map((n) => n.replace(/^settings: "(\w+)"/, 'socklint.$1')));
  const config = fromSettings.config;
  const trusted = settings?.workspaceTrusted !== false;
  let fileNotes: string[] = [];
  let fileConfig = file;
  if (file) {
    const withoutFile: Limits = { maxFileSizeKb: config.maxFileSizeKb ?? DEFAULT_LIMITS.maxFileSizeKb, timeBudgetMs: config.timeBudgetMs ?? DEFAULT_LIMITS.timeBudgetMs };
    const capped = trusted
      ? capLimits(file, ceilings, fileSource, (key, c) => `the ceiling of ${c} (only the user setting socklint.ceiling.${key} can raise it)`)
      : capLimits(file, withoutFile, fileSource, (_key, c) => `${c}, and this workspace is not trusted: its config may lower the limits, not raise them`);
    fileConfig = capped.config;
    fileNotes = capped.notes;
  }
  const merged = mergeConfigs(fileConfig, config);
  return {
    enable: settings?.enable !== false,
    run: merged.run ?? 'onType',
    options: toLintOptions(merged),
    problems,
    fileNotes,
  };
}

export interface LoadedConfigFile {
  /** The URI of the file that applies, if any, and its name in messages (a path on the desktop). */
  uri?: string;
  file?: string;
  config: SocklintConfig;
  errors: string[];
}

export interface ConfigFileAccess {
  /** Reads a file of any scheme, bounded (the server's platform: the disk, or the client's workspace.fs). */
  read(uri: string, maxBytes: number): Promise<ReadFileResult>;
  /** How a URI is named in messages. */
  displayName(uri: string): string;
}

/**
 * Finds the `.socklintrc.json` nearest to a document (its folder, then the parents, stopping at a
 * workspace folder when given). Works on URIs, so a repository opened from GitHub in the browser
 * has its config read like a local one. Results are cached per folder until `clear()`.
 */
export class ConfigFiles {
  private readonly byDir = new Map<string, Promise<LoadedConfigFile>>();

  constructor(private readonly ruleIds: () => readonly string[], private readonly access: ConfigFileAccess) {}

  clear(): void {
    this.byDir.clear();
  }

  forFile(uri: string, stopAt: string[] = []): Promise<LoadedConfigFile> {
    const dir = parentUri(uri);
    return dir ? this.forDir(dir, stopAt) : Promise.resolve({ config: {}, errors: [] });
  }

  private forDir(dir: string, stopAt: string[]): Promise<LoadedConfigFile> {
    let found = this.byDir.get(dir);
    if (!found) {
      found = this.load(dir, stopAt);
      this.byDir.set(dir, found);
    }
    return found;
  }

  private async load(dir: string, stopAt: string[]): Promise<LoadedConfigFile> {
    const uri = childUri(dir, CONFIG_FILE_NAME);
    const file = this.access.displayName(uri);
    // Bounded, and never a FIFO or device: the repository decides what `.socklintrc.json` is.
    const read = await this.access.read(uri, MAX_CONFIG_FILE_BYTES);
    if (read.kind === 'ok') {
      const { config, errors } = parseConfigText(read.text, file, { ruleIds: this.ruleIds() });
      return { uri, file, config, errors };
    }
    if (read.kind === 'too-large' || read.kind === 'not-regular') {
      const why = read.kind === 'too-large' ? `larger than ${MAX_CONFIG_FILE_BYTES / 1024} KB` : 'not a regular file';
      return { uri, file, config: {}, errors: [`${file}: ${why}, not read; using the defaults`] };
    }
    const parent = parentUri(dir);
    const atRoot = parent === undefined || stopAt.some((s) => sameFolder(s, dir));
    return atRoot ? { config: {}, errors: [] } : this.forDir(parent, stopAt);
  }
}
