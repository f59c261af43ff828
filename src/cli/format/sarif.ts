// SARIF 2.1.0 for code-scanning services (GitHub, Azure DevOps, SonarQube imports): every rule's
// metadata and docs, results with related locations, fixes and in-source suppressions, and the
// run's own notices (skipped files, broken config) as tool execution notifications.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { allRules, type Finding, type Range, type Rule, type Severity } from '../../engine';
import { findingDetail } from '../../engine/detail';
import { docsMarkdown, docsUrl } from '../../engine/rules/rule';
import { sortFindings, type FileReport, type RunReport } from '../report';

const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity | 'off', Sarif.ReportingConfiguration.level> = {
  error: 'error', warning: 'warning', info: 'note', hint: 'note', off: 'none',
};

/** "partial-send-ignored" -> "PartialSendIgnored": SARIF's readable rule name. */
function pascal(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function ruleDescriptor(rule: Rule): Sarif.ReportingDescriptor {
  const d = rule.docs;
  const url = docsUrl(rule.id);
  const text = [d.summary, `On the wire: ${d.wire}`, `Fix: ${d.fix}`].filter(Boolean).join('\n\n');
  const markdown = `${docsMarkdown(rule)}\n[Documentation](${url})\n`;
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: d.summary || rule.title },
    help: { text, markdown },
    helpUri: url,
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: ['tcp', 'sockets', 'performance'] },
  };
}

/** A relative URI under %SRCROOT% for files inside the working directory, else a file: URI. */
function artifactLocation(report: RunReport, abs: string, index?: number): Sarif.ArtifactLocation {
  const rel = path.relative(report.cwd, abs);
  const loc: Sarif.ArtifactLocation = rel.startsWith('..') || path.isAbsolute(rel)
    ? { uri: pathToFileURL(abs).href }
    : { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  if (index !== undefined) loc.index = index;
  return loc;
}

/** SARIF regions are 1-based with an exclusive end column, in UTF-16 units (the run's columnKind). */
function region(r: Range): Sarif.Region {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

export function toSarif(report: RunReport, version: string): Sarif.Log {
  const descriptors = allRules().map(ruleDescriptor);
  const indexOf = new Map(descriptors.map((d, i) => [d.id, i]));
  // A finding from a rule the registry does not list (e.g. the unused-suppression report) still needs a descriptor.
  const ensureRule = (id: string) => {
    if (!indexOf.has(id)) {
      indexOf.set(id, descriptors.length);
      descriptors.push({ id, name: pascal(id), shortDescription: { text: id }, helpUri: docsUrl(id) });
    }
    return indexOf.get(id)!;
  };

  // Files with results are listed as artifacts with their language (c, cpp, python, csharp, go, java), and files not
  // in UTF-8 with their encoding, so viewers decode them right.
  const artifacts: Sarif.Artifact[] = [];
  const artifactIndex = new Map<string, number>();
  for (const f of report.files) {
    if (f.findings.length === 0 && f.suppressed.length === 0) continue;
    artifactIndex.set(f.abs, artifacts.length);
    artifacts.push({ location: artifactLocation(report, f.abs), ...(f.encoding === 'utf-8' ? {} : { encoding: f.encoding }), sourceLanguage: f.languageId });
  }

  const results: Sarif.Result[] = [];
  const toResult = (file: FileReport, f: Finding): Sarif.Result => {
    const where = () => artifactLocation(report, file.abs, artifactIndex.get(file.abs));
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: ensureRule(f.ruleId),
      level: LEVEL[f.severity],
      // The message stays one sentence (code-scanning lists show it as the alert's title); the
      // finding's explanation rides along, and the rule's help carries the full documentation.
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: where(), region: region(f.range) } }],
    };
    const detail = findingDetail(f);
    if (detail) result.properties = { detail };
    if (f.related.length) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: where(), region: region(r.range) },
        message: { text: r.message },
      }));
    }
    if (f.fixes.length) {
      result.fixes = f.fixes.map((fix) => ({
        description: { text: fix.title },
        artifactChanges: [{
          artifactLocation: where(),
          replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
        }],
      }));
    }
    if (f.suppression) {
      const s: Sarif.Suppression = {
        kind: 'inSource',
        location: { physicalLocation: { artifactLocation: where(), region: region(f.suppression.range) } },
      };
      if (f.suppression.justification) s.justification = f.suppression.justification;
      result.suppressions = [s];
    }
    return result;
  };
  for (const file of report.files) {
    for (const f of sortFindings(file.findings)) results.push(toResult(file, f));
    for (const f of sortFindings(file.suppressed)) {
      // A suppressed finding always carries its suppression, even if the engine left it out.
      results.push(toResult(file, f.suppression ? f : { ...f, suppression: { kind: 'line', range: f.range } }));
    }
  }

  const notifications: Sarif.Notification[] = report.notices.map((n) => ({
    level: n.level,
    message: { text: n.message },
    ...(n.file ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(report, n.file.abs) } }] } : {}),
  }));

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'Socklint',
        version,
        semanticVersion: version,
        rules: descriptors,
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(report.cwd).href.replace(/\/$/, '')}/` } },
    invocations: [{
      executionSuccessful: report.exitCode !== 2 && report.exitCode !== 3,
      ...(report.exitCode !== undefined ? { exitCode: report.exitCode } : {}),
      toolExecutionNotifications: notifications,
    }],
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (artifacts.length) run.artifacts = artifacts;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

export function formatSarif(report: RunReport, version: string): string {
  return `${JSON.stringify(toSarif(report, version), null, 2)}\n`;
}
