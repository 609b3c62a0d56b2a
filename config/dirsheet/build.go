package dirsheet

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"danvan/flows"
)

// Current is what a sheet is read against.
type Current struct {
	// Orgs are the organisations a row's Tổ chức may name: the configuration's.
	Orgs []flows.Org
	// Dir is the directory in force: its codes and ids give the sheet's rows their ids, and the
	// entries the sheet leaves out are kept. Nil when there is none.
	Dir *flows.Directory
}

// Options change how a sheet is applied.
type Options struct {
	// Replace drops the entries of the directory in force that the sheet leaves out, instead of
	// keeping them: for the first import over the built-in directory, on a store without
	// reports (the import command checks).
	Replace bool
	// Today is the day the summary counts entries in force on.
	Today flows.Date
}

// The patterns config checks: a code (official, or the admin's own) and an id, which goes into
// Redis keys and button data.
var (
	codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,23}$`)
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)
)

// builder turns the rows of a sheet into the entries of a directory, each error at its row and
// column. nodes holds an entry per row, in the sheet's order, then the entries kept from the
// directory in force.
type builder struct {
	cur   Current
	opts  Options
	rows  []row
	has   [numCols]bool // the columns the sheet has
	nodes []flows.Node
	bad   []bool // per row: an error there already, so checks that build on it are skipped
	errs  []flows.SheetError
	byKey map[string]int    // Mã → row
	made  map[string]int    // id → index in nodes
	codes map[string]string // a code of one entry of the directory in force → its id
	orgs  map[string]string // an organisation as people write it (folded) → its id
}

// build returns the entries rows describe against cur, with the directory they make, or the
// errors that stop it.
func build(sh sheet, cur Current, opts Options) ([]flows.Node, *flows.Directory, []flows.SheetError) {
	rows := sh.rows
	b := &builder{cur: cur, opts: opts, rows: rows, has: sh.has, nodes: make([]flows.Node, len(rows)), bad: make([]bool, len(rows)),
		byKey: map[string]int{}, made: map[string]int{}, codes: currentCodes(cur.Dir), orgs: orgNames(cur.Orgs)}
	for _, step := range []func(){b.fields, b.keyed, b.inherit, b.parents, b.derived, b.inherit, b.carry, b.tree, b.merged, b.dates} {
		step()
	}
	if len(b.errs) > 0 {
		slices.SortStableFunc(b.errs, func(x, y flows.SheetError) int { return cmp.Compare(x.Row, y.Row) })
		return nil, nil, b.errs
	}
	// flows has the last word on what a directory is.
	dir, err := flows.NewDirectory(cur.Orgs, b.nodes)
	if err != nil {
		return nil, nil, []flows.SheetError{b.flowsError(err)}
	}
	return b.nodes, dir, nil
}

// fail records an error at row i, column c.
func (b *builder) fail(i int, c column, vi, en string) {
	b.bad[i] = true
	b.errs = append(b.errs, flows.SheetError{Row: b.rows[i].n, Column: c.String(), Msg: msg(vi, en)})
}

// currentCodes maps the codes that name one entry of dir, and no other entry's id, to its id.
func currentCodes(dir *flows.Directory) map[string]string {
	out, twice := map[string]string{}, map[string]bool{}
	if dir == nil {
		return out
	}
	for _, n := range dir.Nodes() {
		if n.Code == "" {
			continue
		}
		if _, dup := out[n.Code]; dup {
			twice[n.Code] = true
		}
		out[n.Code] = n.ID
	}
	for code, id := range out {
		if other, ok := dir.Node(code); twice[code] || (ok && other.ID != id) {
			delete(out, code)
		}
	}
	return out
}

// orgNames maps each organisation's id, short and full names (folded, with and without
// diacritics) to its id; the first organisation to use a name keeps it.
func orgNames(orgs []flows.Org) map[string]string {
	out := map[string]string{}
	for _, o := range orgs {
		for _, s := range []string{o.ID, o.Short.Vi, o.Short.En, o.Name.Vi, o.Name.En} {
			for _, k := range []string{fold(s), foldPlain(s)} {
				if _, taken := out[k]; k != "" && !taken {
					out[k] = o.ID
				}
			}
		}
	}
	return out
}

// fields reads each row's own cells: name, organisation, code, dates.
func (b *builder) fields() {
	for i, r := range b.rows {
		n := &b.nodes[i]
		n.Name = flows.Text{Vi: r.cell(colName), En: r.cell(colNameEn)}
		if n.Name.Vi == "" {
			b.fail(i, colName, "cần có tên", "a name is required")
		}
		b.org(i, r.cell(colOrg))
		b.code(i, r)
		n.ValidFrom = b.date(i, colFrom)
		n.ValidTo = b.date(i, colTo)
		if n.ValidFrom != 0 && n.ValidTo != 0 && n.ValidTo < n.ValidFrom {
			b.fail(i, colTo, fmt.Sprintf("%s trước Hiệu lực từ %s", showDate(n.ValidTo), showDate(n.ValidFrom)),
				fmt.Sprintf("%s is before Hiệu lực từ (valid from) %s", showDate(n.ValidTo), showDate(n.ValidFrom)))
		}
	}
}

func (b *builder) org(i int, o string) {
	if o == "" {
		return
	}
	id, ok := b.orgs[fold(o)]
	if !ok {
		id, ok = b.orgs[foldPlain(o)]
	}
	if ok {
		b.nodes[i].Org = id
		return
	}
	known := make([]string, len(b.cur.Orgs))
	for j, org := range b.cur.Orgs {
		known[j] = org.Short.Vi
	}
	b.fail(i, colOrg, fmt.Sprintf("không có tổ chức “%s”; các tổ chức là %s", o, strings.Join(known, ", ")),
		fmt.Sprintf("there is no organisation “%s”; the organisations are %s", o, strings.Join(known, ", ")))
}

func (b *builder) code(i int, r row) {
	code := r.cell(colCode)
	switch {
	case code == "" && r.cell(colOrg) == "":
		b.fail(i, colCode, "một địa bàn (dòng không ghi Tổ chức) cần có mã: các dòng bên dưới ghi mã này ở cột Cấp trên",
			"a place (a row without Tổ chức) needs a code: the rows below it write that code in Cấp trên")
	case code == "":
	case !codePattern.MatchString(code):
		b.fail(i, colCode, fmt.Sprintf("“%s” không phải mã: mã gồm 1–24 chữ cái không dấu, chữ số và . _ -", code),
			fmt.Sprintf("“%s” is not a code: 1–24 letters without accents, digits, . _ -", code))
	default:
		if j, dup := b.byKey[code]; dup {
			b.fail(i, colCode, fmt.Sprintf("mã “%s” đã có ở dòng %d", code, b.rows[j].n),
				fmt.Sprintf("the code “%s” is already on row %d", code, b.rows[j].n))
			return
		}
		b.byKey[code] = i
	}
}

func (b *builder) date(i int, c column) flows.Date {
	s := b.rows[i].cell(c)
	if s == "" {
		return 0
	}
	d, ok := parseDate(s)
	if !ok {
		b.fail(i, c, fmt.Sprintf("“%s” không phải ngày: viết ngày/tháng/năm, ví dụ 01/07/2025", s),
			fmt.Sprintf("“%s” is not a date: write day/month/year, e.g. 01/07/2025", s))
	}
	return d
}

// keyed gives each row with a Mã its id: that of the entry of the directory in force whose code
// or id the Mã is, else the Mã itself, the id of a new entry.
func (b *builder) keyed() {
	for i, r := range b.rows {
		key := r.cell(colCode)
		if j, ok := b.byKey[key]; !ok || j != i {
			continue // no Mã, or one already refused
		}
		n := &b.nodes[i]
		id, byCode := b.codes[key]
		if !byCode {
			id = key
		}
		n.ID, n.Code = id, key
		if old, ok := b.node(id); ok && !byCode {
			n.Code = old.Code // the admin wrote the id: the entry keeps its official code
		}
		b.claim(i, colCode)
	}
}

// inherit fills, for each row that is an entry of the directory in force, what the sheet has no
// column for from that entry: a sheet of codes, names and parents alone leaves the dates,
// mergers and English names as they were. It runs once ids are known, again for the units
// whose ids come from their places.
func (b *builder) inherit() {
	for i := range b.rows {
		n := &b.nodes[i]
		old, ok := b.node(n.ID)
		if n.ID == "" || !ok {
			continue
		}
		if !b.has[colNameEn] {
			n.Name.En = old.Name.En
		}
		if !b.has[colParent] {
			n.Parent = old.Parent
		}
		if !b.has[colOrg] {
			n.Org = old.Org
		}
		if !b.has[colFrom] {
			n.ValidFrom = old.ValidFrom
		}
		if !b.has[colTo] {
			n.ValidTo = old.ValidTo
		}
		if !b.has[colMerged] {
			n.MergedFrom = old.MergedFrom
		}
	}
}

// node returns the entry of the directory in force with id.
func (b *builder) node(id string) (flows.Node, bool) {
	if b.cur.Dir == nil {
		return flows.Node{}, false
	}
	return b.cur.Dir.Node(id)
}

// claim records row i's id, unless another row has it.
func (b *builder) claim(i int, c column) {
	id := b.nodes[i].ID
	j, taken := b.made[id]
	if !taken {
		b.made[id] = i
		return
	}
	if c == colCode {
		b.fail(i, c, fmt.Sprintf("“%s” là cùng một mục với dòng %d", b.rows[i].cell(colCode), b.rows[j].n),
			fmt.Sprintf("“%s” is the same entry as row %d", b.rows[i].cell(colCode), b.rows[j].n))
		return
	}
	b.fail(i, c, fmt.Sprintf("dòng %d đã là %s ở cùng cấp trên: hai đơn vị cùng tổ chức ở một địa bàn cần mã riêng ở cột Mã", b.rows[j].n, b.rows[i].cell(colOrg)),
		fmt.Sprintf("row %d is already %s under the same parent: two units of one organisation in one place need codes of their own", b.rows[j].n, b.rows[i].cell(colOrg)))
}

// ref returns the id of the entry key names: a row by its Mã or id, else an entry of the
// directory in force by its code or id (kept, unless Replace). found is false for a key that
// names nothing; an id of "" means a row whose own error is reported already.
func (b *builder) ref(key string) (id string, found bool) {
	if j, ok := b.byKey[key]; ok {
		return b.nodes[j].ID, true
	}
	if _, ok := b.made[key]; ok {
		return key, true
	}
	if c, ok := b.codes[key]; ok {
		key = c
	}
	if _, ok := b.made[key]; ok {
		return key, true
	}
	if _, ok := b.node(key); ok && !b.opts.Replace {
		return key, true
	}
	return "", false
}

// parents resolves each row's Cấp trên.
func (b *builder) parents() {
	for i, r := range b.rows {
		key := r.cell(colParent)
		if key == "" {
			continue
		}
		id, ok := b.ref(key)
		if !ok {
			b.fail(i, colParent, fmt.Sprintf("không có đơn vị “%s” (ghi Mã của dòng cấp trên)", key),
				fmt.Sprintf("there is no entry “%s” (write the Mã of the parent's row)", key))
			continue
		}
		b.nodes[i].Parent = id
	}
}

// derived gives each unit without a Mã the id "<place id>-<organisation id>".
func (b *builder) derived() {
	for i, r := range b.rows {
		n := &b.nodes[i]
		if r.cell(colCode) != "" || n.Org == "" {
			continue
		}
		if n.Parent == "" {
			if r.cell(colParent) == "" {
				b.fail(i, colCode, "một đơn vị không có cấp trên cần có mã", "a unit without a parent needs a code")
			}
			continue
		}
		n.ID = n.Parent + "-" + n.Org
		if !idPattern.MatchString(n.ID) {
			b.fail(i, colCode, fmt.Sprintf("ghi mã cho dòng này: mã tự đặt “%s” dài quá 40 ký tự", n.ID),
				fmt.Sprintf("write a code for this row: the one made up, “%s”, is longer than 40 characters", n.ID))
			n.ID = ""
			continue
		}
		if old, ok := b.node(n.ID); ok {
			n.Code = old.Code
		}
		b.claim(i, colOrg)
	}
}

// carry keeps the entries of the directory in force that no row is, as they were; Replace
// drops them.
func (b *builder) carry() {
	if b.cur.Dir == nil || b.opts.Replace {
		return
	}
	for _, n := range b.cur.Dir.Nodes() {
		if _, ok := b.made[n.ID]; !ok {
			b.made[n.ID] = len(b.nodes)
			b.nodes = append(b.nodes, n)
		}
	}
}

// flowsError places an error of flows.NewDirectory at the row of the entry it names, where it
// can ("units[12] ...").
func (b *builder) flowsError(err error) flows.SheetError {
	var i int
	if _, scanErr := fmt.Sscanf(err.Error(), "units[%d]", &i); scanErr == nil && i < len(b.rows) {
		return flows.SheetError{Row: b.rows[i].n, Msg: msg(err.Error(), err.Error())}
	}
	return flows.SheetError{Msg: msg("danh bạ: "+err.Error(), "directory: "+err.Error())}
}
