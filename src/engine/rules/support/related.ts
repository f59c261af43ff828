// Evidence (possibly in another file) as a finding's related location.
import type { Evidence } from '../../model';
import type { RelatedLocation } from '../../types';

export function relatedFrom(e: Evidence, message: string): RelatedLocation {
  return e.file ? { range: e.range, message, file: e.file } : { range: e.range, message };
}
