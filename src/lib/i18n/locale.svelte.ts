/**
 * The interface language, zh-CN or en, with i18next doing the translating
 * (interpolation, plurals). The current language is reactive state, so every
 * t() call in a template updates when it changes; the choice is remembered.
 */
import i18next from 'i18next';
import { formatNumber } from '../format/number';
import en from './en.json';
import zhCN from './zh-CN.json';
import fieldsEn from './scenarioFields.en.json';
import fieldsZhCN from './scenarioFields.zh-CN.json';
import teachEn from './teaching.en.json';
import teachZhCN from './teaching.zh-CN.json';
import modelsEn from './calibrationModels.en.json';
import modelsZhCN from './calibrationModels.zh-CN.json';
import optimiseEn from './optimise.en.json';
import optimiseZhCN from './optimise.zh-CN.json';
import strategyEn from './strategy.en.json';
import strategyZhCN from './strategy.zh-CN.json';
import precisionEn from './precision.en.json';
import precisionZhCN from './precision.zh-CN.json';
import bgbbEn from './calibrationBgbb.en.json';
import bgbbZhCN from './calibrationBgbb.zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'lifecycle-lab.language';

const translator = i18next.createInstance();
translator.init({
	// The scenario form's labels, units and help live in their own files, read as field.*; the classroom's as teach.*; the model comparison's as models.*;
	// the optimise cell's as optimise.*; variant editing, the scenario's levers and shipped results as strategy.*; precision targets' as precision.*; BG/BB in the calibration cell as bgbb.*.
	resources: {
		en: { translation: { ...en, field: fieldsEn, teach: teachEn, models: modelsEn, optimise: optimiseEn, strategy: strategyEn, precision: precisionEn, bgbb: bgbbEn } },
		'zh-CN': { translation: { ...zhCN, field: fieldsZhCN, teach: teachZhCN, models: modelsZhCN, optimise: optimiseZhCN, strategy: strategyZhCN, precision: precisionZhCN, bgbb: bgbbZhCN } }
	},
	lng: 'en',
	fallbackLng: 'en',
	initAsync: false,
	interpolation: { escapeValue: false }
});

class Locale {
	current = $state<Language>('en');

	/** Picks the remembered language, else the browser's. */
	detect(): void {
		const saved = localStorage.getItem(STORAGE_KEY);
		if (saved === 'en' || saved === 'zh-CN') this.current = saved;
		else this.current = navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
		document.documentElement.lang = this.current;
	}

	set(language: Language): void {
		this.current = language;
		document.documentElement.lang = language;
		try {
			localStorage.setItem(STORAGE_KEY, language);
		} catch {
			// Private mode or a full quota: the choice just is not remembered.
		}
	}

	/** The message for `key` in the current language. */
	t(key: string, options?: Record<string, unknown>): string {
		return translator.t(key, { lng: this.current, ...options });
	}

	/** A number formatted for the current language (through the one formatter, format/number.ts). */
	number(value: number, digits = 0): string {
		return formatNumber(value, 'decimal', { language: this.current, digits });
	}
}

export const locale = new Locale();
