// Turns the editor's `socklint.*` settings and the nearest `.socklintrc.json` into lint options.
// Precedence (DESIGN.md): built-in defaults < .socklintrc.json < settings the user set explicitly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROFILE_SETTINGS, type ProfileSetting } from '../common/scenario';
import { CONFIG_FILE_NAME, mergeConfigs, parseConfigText, parseSeverity, toLintOptions, type SocklintConfig } from '../engine/config';
import type { LintOptions, SeveritySetting } from '../engine/types';
import type { SocklintSettings } from './protocol';

export interface EffectiveSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  options: LintOptions;
  /** Problems found in the settings themselves (bad values are dropped, the rest applies). */
  problems: string[];
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

export function effectiveSettings(settings: SocklintSettings | undefined, file: SocklintConfig | undefined): EffectiveSettings {
  const { config, problems } = settingsToConfig(settings);
  const merged = mergeConfigs(file, config);
  return {
    enable: settings?.enable !== false,
    run: merged.run ?? 'onType',
    options: toLintOptions(merged),
    problems,
  };
}

export interface LoadedConfigFile {
  /** Absolute path of the file that applies, if any. */
  file?: string;
  config: SocklintConfig;
  errors: string[];
}

/**
 * Finds the `.socklintrc.json` nearest to a file (its directory, then its parents, stopping at
 * `stopAt` when given). Results are cached per directory until `clear()` (a watched file changed).
 */
export class ConfigFiles {
  private readonly byDir = new Map<string, LoadedConfigFile>();

  constructor(private readonly ruleIds: () => readonly string[]) {}

  clear(): void {
    this.byDir.clear();
  }

  forFile(filePath: string, stopAt?: string[]): LoadedConfigFile {
    return this.forDir(path.dirname(filePath), stopAt ?? []);
  }

  private forDir(dir: string, stopAt: string[]): LoadedConfigFile {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    let found: LoadedConfigFile | undefined;
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    let text: string | undefined;
    try {
      text = readFileSync(candidate, 'utf8');
    } catch {
      // No config here (or unreadable): look further up.
    }
    if (text !== undefined) {
      const { config, errors } = parseConfigText(text, candidate, { ruleIds: this.ruleIds() });
      found = { file: candidate, config, errors };
    } else {
      const parent = path.dirname(dir);
      const atRoot = parent === dir || stopAt.some((s) => path.resolve(s) === path.resolve(dir));
      found = atRoot ? { config: {}, errors: [] } : this.forDir(parent, stopAt);
    }
    this.byDir.set(dir, found);
    return found;
  }
}
