// The worker's entry when the clusterer runs from its TypeScript sources (`trendmill` from a
// checkout): loaders registered at run time on the main thread do not reach worker threads, so
// this thread registers tsx itself before loading the task. Built code loads find-groups-task.js.
import { register } from 'tsx/esm/api';

register();
const { default: findGroupsTask } = await import('./find-groups-task.ts');

export default findGroupsTask;
