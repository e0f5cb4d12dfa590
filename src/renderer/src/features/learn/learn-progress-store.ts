/**
 * Where lesson progress is kept: in Electron, the app's data folder (through the engine); in the web
 * mode, this browser's localStorage (the engine behind a web page is shared, its progress is not).
 */
import type { Api } from '@shared/api';
import { EMPTY_PROGRESS, LearnProgressSchema, type LearnProgress } from '@shared/api-learn';
import type { Transport } from '@renderer/api/transport';

const STORAGE_KEY = 'keepalive-lab.learn-progress';

export interface ProgressStore {
  load(): Promise<LearnProgress>;
  save(progress: LearnProgress): Promise<void>;
}

export function progressStore(api: Api, transport: Transport): ProgressStore {
  if (transport === 'electron') {
    return {
      async load() {
        const result = await api.call('learn.progress', {});
        return result.ok ? result.value : EMPTY_PROGRESS;
      },
      async save(progress) {
        await api.call('learn.saveProgress', { progress });
      },
    };
  }
  return {
    async load() {
      try {
        const parsed = LearnProgressSchema.safeParse(JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null'));
        return parsed.success ? parsed.data : EMPTY_PROGRESS;
      } catch {
        return EMPTY_PROGRESS;
      }
    },
    async save(progress) {
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(progress));
      } catch {
        // storage full or disabled: progress lasts until the page is closed
      }
    },
  };
}
