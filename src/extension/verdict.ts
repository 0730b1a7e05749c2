/** Renders the core's naming verdict (explainName) for the hover (navigation) and the target-name input box (mapping-tree); imports no feature. */
import type { NamingVerdict } from '../core/index';

const ICON: Record<NamingVerdict['status'], string> = { valid: '$(pass)', exempt: '$(circle-slash)', ungoverned: '$(info)', invalid: '$(error)' };

/** One Markdown paragraph: the verdict, the segments as `name=value`, and the suggestion if any. */
export function formatVerdict(v: NamingVerdict): string {
  const lines = [`${ICON[v.status]} ${v.message}`];
  if (v.segments.length > 0) {
    const segs = v.segments.map((s) => (s.value === undefined ? `~~${s.name}~~` : `${s.ok ? '' : '**✗** '}${s.name}=\`${s.value}\``));
    lines.push(segs.join(' · '));
  }
  if (!v.ok && v.failure) lines.push(`Expected ${v.failure.segment ? `{${v.failure.segment}}: ` : ''}${v.failure.expected}`);
  if (v.suggestion) lines.push(`Closest valid name: \`${v.suggestion}\``);
  return lines.join('\n\n');
}

/** The input-box message for a failing name (the core's message names the failing segment); undefined when the name passes. */
export function verdictProblem(v: NamingVerdict): string | undefined {
  return v.ok ? undefined : v.message;
}
