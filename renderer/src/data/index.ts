/** The renderer's data layer: every read and write to main goes through these. */
export { DataProvider } from './DataProvider';
export { useChannel, channelKey, type ChannelRead, type ChannelOptions } from './useChannel';
export { useChannelPages, type ChannelPages } from './useChannelPages';
export { useAsk } from './useAsk';
export { useAction, type Action, type ActionOptions } from './useAction';
export { useActionForm, type ActionForm } from './useActionForm';
export { refusalMessage, refusalOf, type Refusal } from './errors';
export { INVALIDATES } from './invalidation';
export { useSessionCache } from './useSessionCache';
