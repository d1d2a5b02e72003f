import type { Fragment } from './index';

const fragment: Fragment = { paths: {} };
export default fragment;
