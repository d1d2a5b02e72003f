/** Digest times are local wall-clock times: see kernel/zoned-time. */
export { localWeekday, nextDigestTime } from '../../kernel/zoned-time';
