// Package files makes what people receive as files: the PNG chart of one indicator (gonum/plot),
// the period's workbook as XLSX (excelize) or as zipped CSV, and the same content as plain text
// for a channel that cannot carry the file. Maker reads the figures through FigureSource, the
// port it declares, and satisfies the dispatcher's Files port without importing it.
//
// It renders and decides nothing. Who may see what is flows.Narrow's answer, asked again for
// every file; an indicator's value, verdict and target text are flows.Evaluate and
// flows.TargetText; tallies add up with flows.Tally.Add. It never sends, never talks to Redis
// or a platform, and imports neither package bot nor any transport.
package files
