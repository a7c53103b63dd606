/**
 * The calibration worker keeps the last log it read, so the page can name it
 * instead of sending a million rows back for each fit (the structured clone of
 * its customer ids cost the page's thread about a second). The page names it
 * by this reference; a worker started afresh (after a cancel) no longer holds
 * it and says so with HELD_LOG_GONE, and the page sends the log itself.
 */
import type { TransactionLog } from '../calibration/transactions';

/** The name of a log the calibration worker holds. */
export interface HeldLog {
	held: string;
}

/** A log sent whole, or named when the worker holds it. */
export type LogRef = TransactionLog | HeldLog;

/** The message of the error a worker gives for a log it does not hold. */
export const HELD_LOG_GONE = 'the calibration worker no longer holds this log';
