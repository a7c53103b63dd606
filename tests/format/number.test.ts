import { describe, expect, it } from 'vitest';
import { formatKpiValue, formatNumber } from '../../src/lib/format/number';

const en = { language: 'en' };
const zh = { language: 'zh-CN' };

describe('the one number formatter', () => {
	it('reads a share as percent, in both languages', () => {
		expect(formatNumber(0.19, 'percent', en)).toBe('19.0%');
		expect(formatNumber(0.204, 'percent', zh)).toBe('20.4%');
		expect(formatNumber(0.05, 'percent', { ...en, digits: 0, signed: true })).toBe('+5%');
	});

	it('writes compact figures with one convention per language (no mix of 0k and 1K)', () => {
		expect([0, 10_000, 30_000].map((v) => formatNumber(v, 'compact', en))).toEqual(['0', '10K', '30K']);
		expect(formatNumber(1_000, 'compact', en)).toBe('1K');
		expect(formatNumber(12_345, 'compact', zh)).toBe('1.23万');
	});

	it('writes counts whole with separators, money with its currency', () => {
		expect(formatNumber(69_659, 'count', en)).toBe('69,659');
		expect(formatNumber(3_000, 'currency', { ...en, currency: 'CNY', digits: 0 })).toBe('CN¥3,000');
		expect(formatNumber(3_000, 'currency', { ...zh, currency: 'CNY', digits: 0 })).toBe('¥3,000');
		expect(formatNumber(Number.NaN, 'count', en)).toBe('—');
	});

	it('gives a KPI the same unit in the table and on a chart tick', () => {
		const table = formatKpiValue('repurchaseRate', 0.192, { language: 'en', currency: 'CNY' });
		const tick = formatKpiValue('repurchaseRate', 0.192, { language: 'en', currency: 'CNY', compact: true });
		expect(table).toBe('19.2%');
		expect(tick).toBe('19.2%');
		expect(formatKpiValue('roi', 0.2, { language: 'en', currency: 'CNY', compact: true })).toBe('20%');
		expect(formatKpiValue('gmv', 1_234_567, { language: 'en', currency: 'CNY' })).toBe('CN¥1,234,567');
		expect(formatKpiValue('gmv', 1_234_567, { language: 'en', currency: 'CNY', compact: true })).toBe('1.23M');
		expect(formatKpiValue('ltvToCac', 3.14159, { language: 'zh-CN', currency: 'CNY' })).toBe('3.14');
	});
});
