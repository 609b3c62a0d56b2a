package files

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// reportSpec is the report template as its YAML file writes it (config/defaults/report.yaml
// documents every key). Every text is a Go text/template executed on the Report.
type reportSpec struct {
	Place      string       `yaml:"place"`
	Party      string       `yaml:"party"`
	Separator  string       `yaml:"separator"`
	Number     string       `yaml:"number"`
	Date       string       `yaml:"date"`
	Title      string       `yaml:"title"`
	Subject    string       `yaml:"subject"`
	Rule       string       `yaml:"rule"`
	Period     string       `yaml:"period"`
	Recipients string       `yaml:"recipients"`
	Issuers    []issuerSpec `yaml:"issuers"`
	Body       []blockSpec  `yaml:"body"`
	Annex      []blockSpec  `yaml:"annex"`
}

type issuerSpec struct {
	Nodes      []string `yaml:"nodes"`
	Root       bool     `yaml:"root"`
	Superior   string   `yaml:"superior"`
	Name       string   `yaml:"name"`
	Self       string   `yaml:"self"`
	Symbol     string   `yaml:"symbol"`
	OnBehalf   string   `yaml:"on_behalf"`
	Signer     string   `yaml:"signer"`
	SignerName string   `yaml:"signer_name"`
	Recipients []string `yaml:"recipients"`
}

type blockSpec struct {
	Style   string   `yaml:"style"`
	Text    string   `yaml:"text"`
	Table   string   `yaml:"table"`
	Headers []string `yaml:"headers"`
	List    []string `yaml:"list"`
	Item    string   `yaml:"item"`
	Empty   string   `yaml:"empty"`
}

// The paragraph styles a block may name; "" is body text.
var blockStyles = []string{"", "body", "heading1", "heading2", "italic", "title", "subtitle", "page_break"}

// tableHeaders is how many headers each table a block may name takes: the annex tables name
// their number, unit and status columns, the figures between come from the forms.
var tableHeaders = map[string]int{"indicators": 8, "forms": 6, "models": 5, "places": 3, "orgs": 3}

// ReportTemplate is the parsed report template: the document's words, as data an admin can
// replace. Fill executes its header texts on a Report, Document lays the Report out.
type ReportTemplate struct {
	spec reportSpec
	tpls map[string]*template.Template // by the text's path in the file: "body[3].text"
}

// ParseReport reads a report template (YAML) and checks it: every key known, every text a
// valid template, every block one paragraph, list or known table, and the whole executing
// without error on a sample report with something in every field and on an empty one (so both
// sides of most {{if}}s run), with every issuer; a bad template fails at start, not at a
// leader's request.
func ParseReport(data []byte) (*ReportTemplate, error) {
	var spec reportSpec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	t := &ReportTemplate{spec: spec, tpls: map[string]*template.Template{}}
	if err := t.parse(); err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	if err := t.dryRun(); err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	return t, nil
}

// dryRun lays out a full and an empty sample report, and fills in every issuer.
func (t *ReportTemplate) dryRun() error {
	full := sampleReport()
	for _, b := range append(slices.Clone(t.spec.Body), t.spec.Annex...) {
		for _, q := range b.List {
			full.Narratives[q] = full.Narratives["results"]
		}
	}
	for _, r := range []Report{full, {}} {
		if err := t.Fill(&r); err != nil {
			return err
		}
		if _, err := t.Document(r); err != nil {
			return err
		}
		for i := range t.spec.Issuers {
			if _, err := t.issuerAt(i, &r); err != nil {
				return err
			}
		}
	}
	return nil
}

// parse compiles every text and checks the blocks.
func (t *ReportTemplate) parse() error {
	c := &compiler{t: t}
	s := t.spec
	for _, kv := range [][2]string{{"number", s.Number}, {"date", s.Date}, {"title", s.Title},
		{"subject", s.Subject}, {"period", s.Period}} {
		c.add(kv[0], kv[1])
	}
	if strings.TrimSpace(s.Title) == "" {
		c.errs = append(c.errs, errors.New("title: required"))
	}
	if len(s.Issuers) == 0 {
		c.errs = append(c.errs, errors.New("issuers: at least one is required"))
	}
	for i, is := range s.Issuers {
		p := fmt.Sprintf("issuers[%d].", i)
		for _, kv := range [][2]string{{"superior", is.Superior}, {"name", is.Name}, {"self", is.Self},
			{"symbol", is.Symbol}, {"on_behalf", is.OnBehalf}, {"signer", is.Signer}, {"signer_name", is.SignerName}} {
			c.add(p+kv[0], kv[1])
		}
		for j, src := range is.Recipients {
			c.add(fmt.Sprintf("%srecipients[%d]", p, j), src)
		}
	}
	c.blocks("body", s.Body)
	c.blocks("annex", s.Annex)
	return errors.Join(c.errs...)
}

// compiler collects the templates of one ReportTemplate and every error, so an admin fixes the
// file in one go.
type compiler struct {
	t    *ReportTemplate
	errs []error
}

// add compiles the text at path; a key missing from a map is an error, not "<no value>".
func (c *compiler) add(path, src string) {
	tp, err := template.New(path).Funcs(templateFuncs).Option("missingkey=error").Parse(src)
	if err != nil {
		c.errs = append(c.errs, err)
		return
	}
	c.t.tpls[path] = tp
}

// blocks checks and compiles the blocks of one part.
func (c *compiler) blocks(part string, bs []blockSpec) {
	for i, b := range bs {
		p := fmt.Sprintf("%s[%d]", part, i)
		if err := checkBlock(b); err != nil {
			c.errs = append(c.errs, fmt.Errorf("%s: %w", p, err))
			continue
		}
		c.add(p+".text", b.Text)
		c.add(p+".item", b.Item)
		c.add(p+".empty", b.Empty)
		for j, h := range b.Headers {
			c.add(fmt.Sprintf("%s.headers[%d]", p, j), h)
		}
	}
}

// checkBlock checks that b is exactly one thing: a paragraph, a page break, a list or a table.
func checkBlock(b blockSpec) error {
	if !slices.Contains(blockStyles, b.Style) {
		return fmt.Errorf("style %q: want one of %s", b.Style, strings.Join(blockStyles[1:], ", "))
	}
	kinds := 0
	for _, set := range []bool{b.Text != "", b.Table != "", len(b.List) > 0, b.Style == "page_break"} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds != 1:
		return errors.New("want exactly one of text, table, list or style: page_break")
	case b.Table != "":
		n, ok := tableHeaders[b.Table]
		if !ok {
			return fmt.Errorf("table %q: want one of indicators, forms, models, places, orgs", b.Table)
		}
		if len(b.Headers) != n {
			return fmt.Errorf("table %s: got %d headers, want %d", b.Table, len(b.Headers), n)
		}
	case len(b.List) > 0 && b.Item == "":
		return errors.New("list: an item text is required")
	}
	return nil
}

// exec runs the text at path on data; an absent text is "".
func (t *ReportTemplate) exec(path string, data any) (string, error) {
	tp, ok := t.tpls[path]
	if !ok {
		return "", nil
	}
	var b strings.Builder
	if err := tp.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Fill sets r's header texts from the template: the place, the issuer chosen for r's node, the
// period's phrase, then the number, date, title and subject (which may use them).
func (t *ReportTemplate) Fill(r *Report) error {
	r.Place = t.spec.Place
	is, err := t.issuer(r)
	if err != nil {
		return err
	}
	r.Issuer = is
	if r.Period.Phrase, err = t.exec("period", r.Period); err != nil {
		return err
	}
	for _, f := range []struct {
		path string
		dst  *string
	}{{"number", &r.Number}, {"date", &r.Date}, {"title", &r.Title}, {"subject", &r.Subject}} {
		if *f.dst, err = t.exec(f.path, r); err != nil {
			return err
		}
	}
	return nil
}

// issuer executes the texts of the first issuer that matches r's node: one naming it, one for
// the roots when it is a root, or one naming no node (the rest); the first issuer otherwise.
func (t *ReportTemplate) issuer(r *Report) (Issuer, error) {
	pick := 0
	for i, is := range t.spec.Issuers {
		if slices.Contains(is.Nodes, r.Node.ID) || (is.Root && r.Node.Root) || (len(is.Nodes) == 0 && !is.Root) {
			pick = i
			break
		}
	}
	return t.issuerAt(pick, r)
}

// issuerAt executes the texts of issuer pick on r.
func (t *ReportTemplate) issuerAt(pick int, r *Report) (Issuer, error) {
	p := fmt.Sprintf("issuers[%d].", pick)
	var out Issuer
	var errs []error
	for _, f := range []struct {
		key string
		dst *string
	}{{"superior", &out.Superior}, {"name", &out.Name}, {"self", &out.Self}, {"symbol", &out.Symbol},
		{"on_behalf", &out.OnBehalf}, {"signer", &out.Signer}, {"signer_name", &out.SignerName}} {
		var err error
		*f.dst, err = t.exec(p+f.key, r)
		errs = append(errs, err)
	}
	for j := range t.spec.Issuers[pick].Recipients {
		s, err := t.exec(fmt.Sprintf("%srecipients[%d]", p, j), r)
		out.Recipients = append(out.Recipients, s)
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// IssuerLines names the body that issues files over views, for the top of a workbook: its
// superior and its name, as the report would.
func (t *ReportTemplate) IssuerLines(r Report) ([]string, error) {
	is, err := t.issuer(&r)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range []string{is.Superior, is.Name} {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}
