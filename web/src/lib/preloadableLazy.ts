/**
 * `React.lazy` that can be loaded before it renders. A plain lazy component suspends on its first
 * render even when its chunk is already in the browser (the import's promise settles a task
 * later): the app paints a loading line, then renders again. The app starts the chunk of the
 * screen the page opens together with its own code, and renders once it is there; a component
 * whose module is loaded renders it directly, without suspending.
 */
import { createElement, lazy, useState, type ComponentType, type FunctionComponent } from 'react';

export interface PreloadableLazy<Props extends object> {
  readonly Component: FunctionComponent<Props>;
  /** Loads the module (once); resolves when the component can render without suspending. */
  readonly preload: () => Promise<void>;
}

export function preloadableLazy<Props extends object>(
  load: () => Promise<ComponentType<Props>>,
): PreloadableLazy<Props> {
  let loaded: ComponentType<Props> | undefined;
  let loading: Promise<ComponentType<Props>> | undefined;
  const start = (): Promise<ComponentType<Props>> => {
    loading ??= load().then(
      (component) => {
        loaded = component;
        return component;
      },
      (error: unknown) => {
        // A failed chunk load may be retried by the next render (a redeploy, a network blip).
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const Lazy = lazy(async () => ({ default: await start() }));
  function Preloadable(props: Props) {
    // Chosen once per mount: switching from the lazy wrapper to the loaded component on a later
    // render would remount the screen and lose what the person had typed.
    const [component] = useState<ComponentType<Props>>(() => loaded ?? Lazy);
    return createElement(component, props);
  }
  return {
    Component: Preloadable,
    preload: async () => {
      await start();
    },
  };
}
