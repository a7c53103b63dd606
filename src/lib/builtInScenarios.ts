/** The scenarios shipped in scenarios/, bundled into the app at build time. */
import type { ScenarioInput } from './engine/scenario/schema';

const files = import.meta.glob<ScenarioInput>('/scenarios/*.json', { eager: true, import: 'default' });

/** The templates come first; the report cases follow by name. */
const TEMPLATES = ['six-stage', 'five-stage'];
const rank = (s: ScenarioInput) => (TEMPLATES.includes(s.name) ? TEMPLATES.indexOf(s.name) : TEMPLATES.length);

/** Built-in scenarios: the templates, then the rest by name. */
export const builtInScenarios: ScenarioInput[] = Object.values(files).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
