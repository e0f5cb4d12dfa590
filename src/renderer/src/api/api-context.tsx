import { createContext, useContext } from 'react';
import type { Api } from '@shared/api';
import type { Transport } from './transport';

export interface ApiContextValue {
  api: Api;
  transport: Transport;
  /** web mode only: where to upload a file (the URL names the token and this page's id) */
  uploadUrl: ((fileName: string) => Promise<string>) | null;
}

export const ApiContext = createContext<ApiContextValue | null>(null);

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside <ApiContext.Provider>');
  return value;
}
