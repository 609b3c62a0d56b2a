package files

import (
	"context"
	"fmt"

	"danvan/flows"
)

// NarrativeSource gives the organisers' written answers ("Hạn chế, khó khăn", "Đề xuất, kiến
// nghị") of a period. Maker works without one: the report then holds the template's
// placeholder sentences for the official to fill.
type NarrativeSource interface {
	// Narratives returns the text answers units gave in period, in any order.
	Narratives(ctx context.Context, period string, units []string) ([]Narrative, error)
}

// Narrative is one unit's written answer to one text question of a form.
type Narrative struct {
	Unit     string // unit id
	Question string // the text question's id, which the report template's lists name
	Text     string
}

// ModelSource gives the "Dân vận khéo" models units registered. Maker works without one: the
// report then leaves the models out, and counts models and exemplars as the units typed them.
type ModelSource interface {
	// Models returns the models units registered that count in period, as they stand for it
	// (flows.ModelsIn): a unit with none there does not use the register for the period.
	Models(ctx context.Context, period string, units []string) ([]Model, error)
}

// Model is one registered "Dân vận khéo" model.
type Model struct {
	Unit       string // unit id
	Name       string
	Field      string // the field's name as people read it: "Bảo vệ và phát triển rừng"
	Recognised bool   // recognised as an exemplar (điển hình)
	Level      string // which level recognised it
}

// Report is what the written report says, before any layout: the header texts the template
// gives for the issuing body, and the figures, narratives and models of the period over the
// person's scope. The report template (ReportTemplate) turns it into a Document.
type Report struct {
	Issuer Issuer
	// Place is where the report is issued, for the date line: "Lai Châu".
	Place string
	// Number, Date, Title and Subject are the template's header lines, filled in:
	// "Số      -BC/BTGDV", "Lai Châu, ngày … tháng … năm 2026", "BÁO CÁO", "Kết quả ...".
	Number, Date, Title, Subject string
	// Year is the year the period ends in, for the date line.
	Year   int
	Period ReportPeriod
	// Node is the place the report covers (its first one for a person with several scopes);
	// Org the organisation it is limited to, zero for all.
	Node  ReportNode
	Org   ReportOrg
	Scope string // what it covers, for people: "Hội LHPN · Thành phố Lai Châu"

	// Indicators are the plan's targets measured this period; Met and Missed those judged.
	Indicators, Met, Missed []IndicatorRow
	Completeness            ReportCompleteness

	// HasRegister is set when the "Dân vận khéo" register is in use: some unit in scope has a
	// model that counts in the period. Models then counts its models by field, ModelTotal all
	// of them; indicators 1.4 and 1.4b read the register for the units that use it.
	HasRegister bool
	Models      []ModelsByField
	ModelTotal  ModelsByField

	// Narratives holds the written answers by text question id, in directory order of units.
	Narratives map[string][]Attributed

	// AnnexColumns head the figures of the annex tables; Places groups the units by the place
	// directly below the scope, Orgs by organisation; Total adds up every unit.
	AnnexColumns []string
	Places, Orgs []AnnexGroup
	Total        AnnexRow
}

// Issuer is the body that files the report and signs it (Hướng dẫn 36-HD/VPTW): its superior
// and its own name at the top left, its symbol in the number, the signature block.
type Issuer struct {
	Superior string // "TỈNH ỦY LAI CHÂU"
	Name     string // "BAN TUYÊN GIÁO VÀ DÂN VẬN"
	Self     string // the name in a sentence: "Ban Tuyên giáo và Dân vận Tỉnh ủy"
	Symbol   string // "BC/BTGDV"
	OnBehalf string // "T/M BAN THƯỜNG VỤ", "" when the signer signs in their own right
	Signer   string // "TRƯỞNG BAN"
	// SignerName is printed under the signature; empty leaves the space to fill.
	SignerName string
	Recipients []string
}

// ReportPeriod is the period reported on. Phrase is the template's wording for a sentence
// ("quý I năm 2026"); Prev labels the period compared with, "" when there is none.
type ReportPeriod struct {
	ID, Kind, Name string
	Year           int
	Label          string // "Quý I năm 2026"
	Phrase         string
	Prev           string
}

// ReportNode is the place a report covers; Root is set for a root of the directory (the
// province).
type ReportNode struct {
	ID, Name string
	Root     bool
}

// ReportOrg is the organisation a report is limited to.
type ReportOrg struct {
	ID, Short, Name string
}

// IndicatorRow is one target of the plan against this period's result, with the counts
// behind it and the change since the period before.
type IndicatorRow struct {
	ID, Name string
	Target   string // flows.TargetText: "> 85%"
	Figure   flows.Figure
	Value    string // "86,7%", "—" when there is nothing to compute
	Basis    string // the counts behind the value: "1.300 / 1.500"
	Prev     string // the value the period before, "" when unknown
	Change   string // "+2,1" (percentage points for shares), "" when unknown
	Verdict  string // "Đạt", "Chưa đạt", "" when not judged
	Judged   bool   // the indicator has a target and a value
}

// ReportCompleteness is how many units reported: Reported sent every form, Partial some,
// Missing none; Late counts the reported units whose first form came after the due date.
type ReportCompleteness struct {
	Units, Reported, Partial, Missing, Late, Returned int
	Forms                                             []Completeness
	MissingUnits                                      []string
}

// ModelsByField counts the registered models of one field, those recognised as exemplars and
// the units that have them.
type ModelsByField struct {
	Field                         string
	Registered, Recognised, Units int
}

// Attributed is a written answer and the unit that gave it.
type Attributed struct {
	Unit string // the unit's name: "Hội LHPN phường Tân Phong"
	Text string
}

// AnnexGroup is the units of one place or organisation in an annex table, and their total.
type AnnexGroup struct {
	Label string
	Rows  []AnnexRow
	Total AnnexRow
}

// AnnexRow is one unit's (or a group's) figures under Report.AnnexColumns, written out.
type AnnexRow struct {
	Label  string
	Cells  []string
	Status string
}

// report loads the period's figures over views and renders the report draft as a .docx.
func (m *Maker) report(ctx context.Context, per flows.Period, views []flows.View) (flows.File, error) {
	if m.Report == nil {
		return flows.File{}, fmt.Errorf("report %s: no report template", per.ID)
	}
	r, err := m.buildReport(ctx, per, views)
	if err != nil {
		return flows.File{}, err
	}
	doc, err := m.Report.Document(r)
	if err != nil {
		return flows.File{}, fmt.Errorf("report %s: %w", per.ID, err)
	}
	data, err := RenderDOCX(doc)
	if err != nil {
		return flows.File{}, fmt.Errorf("report %s: %w", per.ID, err)
	}
	return flows.File{Name: "bao-cao-" + per.ID + ".docx", Kind: flows.Document, MIME: DOCXMIME, Data: data,
		Text: ReportText(r)}, nil
}

// DOCXMIME is the media type of a Word document.
const DOCXMIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
