// Training curves of a History as a report section: train's own curve chart (loss per step
// and epoch with validation, learning rate, accuracy with its validation twin).
import { reportSvg } from '@tensorloom/train';
import type { History } from '@tensorloom/train';
import type { ReportSection } from '@tensorloom/app-kit';

/** Loss, learning-rate and accuracy curves of a run, train and validation. */
export function historySections(history: History, title = 'Training'): ReportSection[] {
  return [
    {
      title,
      note: 'Train loss per step (light) and per epoch (the mean of its steps); validation after each epoch, on the held-out 10 % of train.',
      html: reportSvg(history, { title }),
    },
  ];
}
