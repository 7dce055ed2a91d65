/** The renderer's data layer: every read and write to main goes through these. */
export { DataProvider } from './DataProvider';
export { useChannel, channelKey, type ChannelRead, type ChannelOptions } from './useChannel';
export { useAction, type Action, type ActionOptions } from './useAction';
export { refusalMessage, refusalOf, type Refusal } from './errors';
export { INVALIDATES } from './invalidation';
export { useSessionCache } from './useSessionCache';
