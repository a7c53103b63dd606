/** A scenario carrying fitted values: the base scenario's funnel and channels with one calibrated customer segment. */
import type { Dropout, Scenario, ScenarioInput } from '../engine/scenario/schema';
import { parseScenario } from '../engine/scenario/validate';
import type { GammaGammaParams } from './gammaGammaFit';
import type { ModelParams, PurchaseModelId } from './purchaseModel';
import { PURCHASE_MODEL } from './purchaseModels';

export interface CalibrationSource {
	file: string;
	calibrationEnd: string;
	holdoutEnd: string | null;
	customers: number;
}

/** The segment's dropout for a fitted model, its time scale (β) converted to days; BG/NBD written as every scenario writes it, without `model`. */
export function fittedDropout(model: PurchaseModelId, params: ModelParams, unitDays: number): Dropout {
	switch (model) {
		case 'bgnbd':
			return { a: params.a, b: params.b };
		case 'mbgnbd':
			return { model: 'mbgnbd', a: params.a, b: params.b };
		case 'paretoNbd':
			return { model: 'paretoNbd', s: params.s, betaDays: params.beta * unitDays };
		case 'bgbb':
			throw new Error('BG/BB customers buy at discrete occasions, which the engine does not simulate; no scenario is written');
	}
}

/** The fitted values in a line: the model's parameters (α and β in days) and Gamma-Gamma's. */
function fittedValues(model: PurchaseModelId, params: ModelParams, unitDays: number, spend: GammaGammaParams): string {
	const shapes = model === 'paretoNbd' ? `s=${params.s.toFixed(3)}, β=${(params.beta * unitDays).toFixed(2)} days` : `a=${params.a.toFixed(3)}, b=${params.b.toFixed(3)}`;
	return `${PURCHASE_MODEL[model].label} r=${params.r.toFixed(3)}, α=${(params.alpha * unitDays).toFixed(2)} days, ${shapes}; Gamma-Gamma p=${spend.p.toFixed(2)}, q=${spend.q.toFixed(2)}, γ=${spend.gamma.toFixed(2)}`;
}

/** The base scenario with its segments replaced by one fitted from the data with the chosen model (α, β converted to days). */
export function calibratedScenario(
	base: ScenarioInput,
	model: PurchaseModelId,
	params: ModelParams,
	unitDays: number,
	spend: GammaGammaParams,
	source: CalibrationSource
): Scenario {
	if (!(spend.q > 1)) throw new Error(`the Gamma-Gamma fit has q = ${spend.q.toFixed(3)} ≤ 1, so its mean spend does not exist; no scenario is written`);
	const dropout = fittedDropout(model, params, unitDays);
	const from = base.segments[0];
	const what = fittedValues(model, params, unitDays, spend);
	const period = `${source.customers} customers of ${source.file}, calibration to ${source.calibrationEnd}${source.holdoutEnd ? `, holdout to ${source.holdoutEnd}` : ''}`;
	const label = PURCHASE_MODEL[model].label;
	return parseScenario({
		...base,
		name: 'calibrated',
		labels: { en: `Calibrated: ${source.file}`.slice(0, 200), 'zh-CN': `校准结果：${source.file}`.slice(0, 200) },
		description: {
			en: `Customers buy and leave as the ${label} model fitted by maximum likelihood says (${what}) on ${period}. Funnel stages and channels come from the base scenario "${base.name}": transaction logs cannot identify them.`,
			'zh-CN': `用户按最大似然拟合的 ${label} 模型购买与流失（${what}），数据：${period}。漏斗阶段与渠道沿用基础场景“${base.name}”：交易数据无法识别这些参数。`
		},
		segments: [
			{
				id: 'calibrated',
				labels: { en: 'Calibrated customers', 'zh-CN': '校准用户' },
				share: 1,
				purchaseRate: { r: params.r, alphaDays: params.alpha * unitDays },
				dropout,
				spend: { model: 'gammaGamma', p: spend.p, q: spend.q, gamma: spend.gamma },
				referral: from.referral
			}
		],
		channels: (base.channels ?? []).map(({ segmentMix: _, ...ch }) => ch),
		policies: (base.policies ?? []).map((p) => ({ ...p, segments: undefined }))
	});
}
