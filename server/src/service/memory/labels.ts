// The estimator names components and phases in English; those names are part
// of the CLI's JSON, so they stay as they are there and are translated only
// where people read them (lens, hover table, Estimate Memory view).
import { t } from '../l10n';

/** A breakdown component or phase name in the active language; unknown names pass through. */
export function memoryLabel(name: string): string {
  const labels: Record<string, string> = {
    weights: t('weights'),
    'optimizer states': t('optimizer states'),
    gradients: t('gradients'),
    activations: t('activations'),
    'logits and loss': t('logits and loss'),
    'optimizer temporaries': t('optimizer temporaries'),
    'allocator cache': t('allocator cache'),
    'CUDA context': t('CUDA context'),
    'CUDA context + NCCL': t('CUDA context + NCCL'),
    'forward/loss': t('forward/loss'),
    backward: t('backward'),
    'optimizer step': t('optimizer step'),
  };
  return labels[name] ?? name;
}
