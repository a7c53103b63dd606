/** A scenario carrying the values a simulation fit chose, its description saying what was fitted, to what and how well. */
import { id } from '../engine/scenario/policySchemas';
import type { Scenario } from '../engine/scenario/schema';
import { parseScenario } from '../engine/scenario/validate';
import { setAtPointer } from '../engine/scenario/jsonPointer';
import type { SimulationFit } from './simulationFit';

export interface FitSource {
	/** What the observed curve came from (a file name). */
	observed: string;
	series: string;
	periodDays: number;
	replications: number;
}

const DESCRIPTION_CHARS = 4000;
/** The series a log gives, named in Chinese; any other engine series keeps its id. */
const SERIES_ZH: Record<string, string> = { newCustomers: '新客数', purchases: '购买次数', repeatPurchases: '复购次数' };

function fittedName(base: string): string {
	const name = `${base.slice(0, 33)}-fitted`;
	return id.safeParse(name).success ? name : 'fitted';
}

/** The base scenario (its horizon kept) with the fitted values set, validated. */
export function fittedScenario(base: Scenario, fit: SimulationFit, source: FitSource): Scenario {
	let raw: unknown = base;
	for (const [pointer, value] of Object.entries(fit.values)) raw = setAtPointer(raw, pointer, value);
	const values = Object.entries(fit.values)
		.map(([pointer, v]) => {
			const se = fit.standardErrors[pointer];
			return `${pointer} = ${+v.toPrecision(4)}${se === null ? '' : ` ± ${+se.toPrecision(2)}`}`;
		})
		.join('; ');
	const fitNote = `χ² = ${fit.chiSquare.toFixed(1)} on ${fit.degreesOfFreedom} degrees of freedom`;
	const periods = fit.simulated.length;
	const en = `Fitted by simulation (${source.replications} replications, common random numbers) to ${source.series} per ${source.periodDays} days over ${periods} periods of ${source.observed}: ${values}; ${fitNote}. Everything else comes from "${base.name}".`;
	const zh = `由模拟拟合得到（${source.replications} 次重复，共同随机数），拟合对象：${source.observed} 中每 ${source.periodDays} 天的${SERIES_ZH[source.series] ?? ` ${source.series} `}，共 ${periods} 期：${values}；χ² = ${fit.chiSquare.toFixed(1)}，自由度 ${fit.degreesOfFreedom}。其余参数沿用“${base.name}”。`;
	return parseScenario({
		...(raw as Scenario),
		name: fittedName(base.name),
		labels: { en: `${base.labels.en} (fitted)`.slice(0, 200), 'zh-CN': `${base.labels['zh-CN']}（模拟拟合）`.slice(0, 200) },
		description: { en: en.slice(0, DESCRIPTION_CHARS), 'zh-CN': zh.slice(0, DESCRIPTION_CHARS) }
	});
}
