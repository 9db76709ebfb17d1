import { reactive } from 'vue';

export type ToastKind = 'info' | 'success' | 'error';
export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

let nextId = 1;
/** Messages shown in the corner of every page (the shell renders them in a live region). */
export const toasts = reactive<Toast[]>([]);

export function dismissToast(id: number): void {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}

/** Shows a short message to the administrator; errors stay until dismissed, the rest for six seconds. */
export function showToast(text: string, kind: ToastKind = 'info'): number {
  const id = nextId++;
  toasts.push({ id, kind, text });
  if (kind !== 'error') setTimeout(() => dismissToast(id), 6000);
  return id;
}
