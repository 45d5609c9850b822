export { HostPicker } from './HostPicker';
export {
  LineEditor,
  type LineEditorCellProps,
  type LineEditorExtraColumn,
  type LineEditorProps,
} from './LineEditor';
export { LineTotalsTable } from './LineTotalsTable';
export * from './lineErrors';
export * from './lineModel';
export { useLineReference, type LineReferenceState } from './useLineReference';
export { LineDiffList, lineDiffText } from './LineDiffList';
export { useProblemForRows } from './useProblemForRows';
export {
  mergedDrafts,
  mergedRows,
  mergeLines,
  mergeRows,
  PLEDGE_LINES,
  sameLine,
  type LineMergeConflict,
  type LineShape,
  type LinesMerge,
  type MergeChoice,
} from './lineMerge';
