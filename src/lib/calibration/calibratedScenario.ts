/** A scenario carrying fitted values: the base scenario's funnel and channels with one calibrated customer segment. */
import type { Scenario, ScenarioInput } from '../engine/scenario/schema';
import { parseScenario } from '../engine/scenario/validate';
import type { BgNbdParams } from './bgnbd';
import type { GammaGammaParams } from './gammaGammaFit';

export interface CalibrationSource {
	file: string;
	calibrationEnd: string;
	holdoutEnd: string | null;
	customers: number;
}

/** The base scenario with its segments replaced by one fitted from the data (α converted to days). */
export function calibratedScenario(base: ScenarioInput, bgnbd: BgNbdParams, unitDays: number, spend: GammaGammaParams, source: CalibrationSource): Scenario {
	if (!(spend.q > 1)) throw new Error(`the Gamma-Gamma fit has q = ${spend.q.toFixed(3)} ≤ 1, so its mean spend does not exist; no scenario is written`);
	const from = base.segments[0];
	const what = `BG/NBD r=${bgnbd.r.toFixed(3)}, α=${(bgnbd.alpha * unitDays).toFixed(2)} days, a=${bgnbd.a.toFixed(3)}, b=${bgnbd.b.toFixed(3)}; Gamma-Gamma p=${spend.p.toFixed(2)}, q=${spend.q.toFixed(2)}, γ=${spend.gamma.toFixed(2)}`;
	const period = `${source.customers} customers of ${source.file}, calibration to ${source.calibrationEnd}${source.holdoutEnd ? `, holdout to ${source.holdoutEnd}` : ''}`;
	return parseScenario({
		...base,
		name: 'calibrated',
		labels: { en: `Calibrated: ${source.file}`.slice(0, 200), 'zh-CN': `校准结果：${source.file}`.slice(0, 200) },
		description: {
			en: `Customer behaviour fitted by maximum likelihood (${what}) on ${period}. Funnel stages and channels come from the base scenario "${base.name}": transaction logs cannot identify them.`,
			'zh-CN': `用户行为参数由最大似然估计得到（${what}），数据：${period}。漏斗阶段与渠道沿用基础场景“${base.name}”：交易数据无法识别这些参数。`
		},
		segments: [
			{
				id: 'calibrated',
				labels: { en: 'Calibrated customers', 'zh-CN': '校准用户' },
				share: 1,
				purchaseRate: { r: bgnbd.r, alphaDays: bgnbd.alpha * unitDays },
				dropout: { a: bgnbd.a, b: bgnbd.b },
				spend: { model: 'gammaGamma', p: spend.p, q: spend.q, gamma: spend.gamma },
				referral: from.referral
			}
		],
		channels: (base.channels ?? []).map(({ segmentMix: _, ...ch }) => ch),
		policies: (base.policies ?? []).map((p) => ({ ...p, segments: undefined }))
	});
}
