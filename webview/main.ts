/**
 * The dashboard page. Restores the last state at once (getState), then says
 * `ready`; the host answers with a full `state` and later sends only the section
 * that changed, which re-renders that section's container and nothing else.
 */
import './zod-config';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode/codicons/dist/codicon.css';
import './styles.css';
import { DashboardState, PROTOCOL_VERSION, SECTION_NAMES, type HostMessage, type SectionName } from '../src/protocol/messages';
import { onHostMessage, post, save, saved } from './bridge';
import { h } from './dom';
import { formatTime } from './format';
import type { SectionContext } from './sections/context';
import { renderDefinitions } from './sections/definitions';
import { renderMappings } from './sections/mappings';
import { renderPhases } from './sections/phases';
import { renderReferences } from './sections/references';
import { renderShims } from './sections/shims';
import { renderValidation } from './sections/validation';

type Renderer<K extends SectionName> = (root: HTMLElement, data: DashboardState[K], ctx: SectionContext) => void;

const SECTIONS: { [K in SectionName]: { title: string; icon: string; render: Renderer<K> } } = {
  phases: { title: 'Phases', icon: 'list-ordered', render: renderPhases },
  mappings: { title: 'Mapping progress', icon: 'arrow-swap', render: renderMappings },
  references: { title: 'Legacy references', icon: 'references', render: renderReferences },
  validation: { title: 'Latest validation', icon: 'checklist', render: renderValidation },
  shims: { title: 'Shim views', icon: 'watch', render: renderShims },
  definitions: { title: 'Warehouse definitions', icon: 'symbol-method', render: renderDefinitions },
};

let current: DashboardState | undefined;

function layout(): void {
  const app = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
  app.replaceChildren(
    h('header', { class: 'page-header' }, h('h1', {}, 'bqmigrate migration dashboard'), h('p', { class: 'muted', id: 'subtitle' }, 'Waiting for the extension…'), h('div', { id: 'problems' })),
    h('vscode-progress-ring', { id: 'loading', 'aria-label': 'Loading the migration state' }),
    h(
      'div',
      { class: 'grid' },
      ...SECTION_NAMES.map((name) =>
        h(
          'section',
          { id: `section-${name}`, class: 'card', 'aria-labelledby': `heading-${name}`, 'data-renders': '0' },
          h('h2', { id: `heading-${name}` }, h('span', { class: `codicon codicon-${SECTIONS[name].icon}`, 'aria-hidden': 'true' }), ` ${SECTIONS[name].title} `, h('span', { class: 'summary muted', id: `summary-${name}` })),
          h('div', { class: 'section-body', id: `body-${name}` }),
        ),
      ),
    ),
  );
}

function contextFor(name: SectionName): SectionContext {
  return {
    post,
    setSummary: (text) => {
      document.getElementById(`summary-${name}`)!.textContent = text ? `— ${text}` : '';
    },
    now: () => (current ? new Date(current.generatedAt) : new Date()),
  };
}

function renderSection<K extends SectionName>(name: K, data: DashboardState[K]): void {
  const section = document.getElementById(`section-${name}`)!;
  const body = document.getElementById(`body-${name}`)!;
  try {
    SECTIONS[name].render(body, data, contextFor(name));
  } catch (err) {
    // One section's bug must not blank the page.
    body.replaceChildren(h('p', { class: 'error-text' }, `Cannot show this section: ${(err as Error).message}`));
    console.error(err);
  }
  section.dataset.renders = String(Number(section.dataset.renders ?? '0') + 1);
}

function renderHeader(state: DashboardState): void {
  document.getElementById('loading')?.remove();
  document.getElementById('subtitle')!.textContent = `${state.manifest.project} · ${state.manifest.file} · updated ${formatTime(state.generatedAt)}`;
  const problems = document.getElementById('problems')!;
  problems.replaceChildren(
    ...(state.problems.length === 0
      ? []
      : [h('vscode-collapsible', { heading: `${state.problems.length} problem(s) reading the migration state`, class: 'problems' }, h('ul', {}, ...state.problems.map((p) => h('li', {}, p))))]),
  );
}

function apply(message: HostMessage): void {
  if (message.type === 'state') {
    current = message.state;
    renderHeader(current);
    for (const name of SECTION_NAMES) renderSection(name, current[name] as never);
  } else {
    if (!current) {
      console.warn(`[bqmigrate dashboard] "${message.type}" update before any state; ignored`);
      return;
    }
    const name = message.type;
    current = { ...current, [name]: (message as unknown as Record<SectionName, unknown>)[name] } as DashboardState;
    renderSection(name, current[name] as never);
  }
  document.body.dataset.generatedAt = current.generatedAt;
  save({ state: current });
}

layout();
const restored = DashboardState.safeParse(saved().state);
if (restored.success) apply({ type: 'state', state: restored.data });
onHostMessage(apply);
post({ type: 'ready', version: PROTOCOL_VERSION });
