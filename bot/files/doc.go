// Package files makes what people receive as files: the PNG chart of one indicator (gonum/plot),
// the period's workbook as XLSX (excelize) or as zipped CSV, the draft of the written report as
// DOCX (WordprocessingML written here, its words from a template that is data), and the same
// content as plain text for a channel that cannot carry the file. Maker reads the figures
// through FigureSource, the port it declares, the organisers' written answers and the "Dân vận
// khéo" register through two optional ones (SubmittedNarratives and RegisteredModels adapt the
// store to them), and satisfies the dispatcher's Files port without importing it.
//
// It renders and decides nothing. Who may see what is flows.Narrow's answer, asked again for
// every file; an indicator's value, verdict and target text are flows.Evaluate and
// flows.TargetText; tallies add up with flows.Tally.Add. It never sends, never talks to Redis
// or a platform, and imports neither package bot nor any transport.
package files
