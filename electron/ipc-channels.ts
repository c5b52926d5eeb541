// The three IPC channels between preload and main. Method and event names travel as arguments and are checked
// against API_METHODS / EVENT_NAMES in main, so no API name is typed here. preload.cts (sandboxed, cannot
// import at run time) repeats these strings; test/electron/security.test.ts checks they match.
export const IPC_CHANNELS = {
  call: 'localrag:call',
  event: 'localrag:event',
  pickFolder: 'localrag:pick-folder',
} as const;
