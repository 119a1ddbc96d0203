// The rules about the data a config trains on: its dataset files, their
// records and token lengths (read in the background through context/data).
import type { Rule } from '../rule';
import { datasetFilesRule } from './files';

export const dataRules: Rule[] = [datasetFilesRule];
