/**
 * The native menu's commands (Electron: File > Open capture…, Export report…)
 * arrive as `menu-invoked` events. The app listens once, at the top, so no
 * command is lost because its view was not on screen: it switches to the view
 * and leaves the command pending, and the view runs it once, when it can.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Api, EngineEvent } from '@shared/api';
import { useApi } from '../api/api-context';

export type MenuCommand = Extract<EngineEvent, { kind: 'menu-invoked' }>['command'];

interface PendingCommand {
  command: MenuCommand;
  /** one number per menu click, so a command runs once however often views re-render */
  id: number;
}

interface MenuCommands {
  pending: PendingCommand | null;
  /** true the first time it is asked for `id` (the caller then runs the command) */
  take(id: number): boolean;
}

const MenuCommandContext = createContext<MenuCommands>({ pending: null, take: () => false });

/** The view (URL hash) each command runs in. */
const VIEW_OF_COMMAND: Readonly<Record<MenuCommand, string>> = { 'open-capture': 'captures', 'export-report': 'reports' };

/** Around the whole app (main.tsx): listens from the first render on. */
export function MenuCommandsProvider({ children }: { children: ReactNode }) {
  const { api } = useApi();
  return <MenuCommandContext.Provider value={useMenuCommandSource(api)}>{children}</MenuCommandContext.Provider>;
}

/** Turns menu events into a view switch and a pending command. */
function useMenuCommandSource(api: Api): MenuCommands {
  const [pending, setPending] = useState<PendingCommand | null>(null);
  const lastId = useRef(0);
  const lastTaken = useRef(0);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.kind !== 'menu-invoked') return;
        window.location.hash = VIEW_OF_COMMAND[event.command];
        lastId.current += 1;
        setPending({ command: event.command, id: lastId.current });
      }),
    [api],
  );

  const take = useCallback((id: number) => {
    if (id <= lastTaken.current) return false;
    lastTaken.current = id;
    return true;
  }, []);

  return useMemo(() => ({ pending, take }), [pending, take]);
}

/** View-level: runs `run` once per click on the menu item of `command`, as soon as `ready`. */
export function useMenuCommand(command: MenuCommand, run: () => void, ready = true): void {
  const { pending, take } = useContext(MenuCommandContext);
  useEffect(() => {
    if (!ready || pending?.command !== command) return;
    if (take(pending.id)) run();
  }, [pending, command, run, ready, take]);
}
