import type { IpcChannel, IpcEvent, IpcEventPayload, IpcRequest, IpcResponse, IpcResult } from './contract.ts';

/** `chat:send` → `chatSend`: how a channel is named as a method. */
type CamelOf<N extends string> = N extends `${infer Domain}:${infer Verb}` ? `${Domain}${Capitalize<Verb>}` : never;
export type MethodName<C extends IpcChannel> = CamelOf<C>;
/** `chat:messages` → `onChatMessages`. */
export type EventMethodName<E extends IpcEvent> = `on${Capitalize<CamelOf<E>>}`;

/** Requests with nothing required may be called without an argument. */
type ArgsOf<C extends IpcChannel> =
  Record<string, never> extends IpcRequest<C> ? [request?: IpcRequest<C>] : [request: IpcRequest<C>];

export type Unsubscribe = () => void;
type Subscriptions = {
  readonly [E in IpcEvent as EventMethodName<E>]: (listener: (payload: IpcEventPayload<E>) => void) => Unsubscribe;
};

/** What the preload exposes as `window.tandem`: named methods only, answering the result envelope. */
export type TandemApi = {
  readonly [C in IpcChannel as MethodName<C>]: (...args: ArgsOf<C>) => Promise<IpcResult<IpcResponse<C>>>;
} & Subscriptions;

/** What the renderer's bridge module gives the UI: the same methods, resolving the result or throwing. */
export type TandemClient = {
  readonly [C in IpcChannel as MethodName<C>]: (...args: ArgsOf<C>) => Promise<IpcResponse<C>>;
} & Subscriptions;

function camelOf(name: string): string {
  const [domain = '', verb = ''] = name.split(':');
  return `${domain}${verb.charAt(0).toUpperCase()}${verb.slice(1)}`;
}

export function methodNameOf<C extends IpcChannel>(channel: C): MethodName<C> {
  return camelOf(channel) as MethodName<C>;
}

export function eventMethodNameOf<E extends IpcEvent>(event: E): EventMethodName<E> {
  const camel = camelOf(event);
  return `on${camel.charAt(0).toUpperCase()}${camel.slice(1)}` as EventMethodName<E>;
}
