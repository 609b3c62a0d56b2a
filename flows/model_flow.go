package flows

import (
	"strings"
	"time"
	"unicode/utf8"
)

// This file is registering a unit's "Dân vận khéo" model and recording its recognition as an
// exemplar: /mohinh, four questions (name, field, start, recognised or not), a card to check and
// save. Only an organiser of the unit may, checked on every press: button data can be forged.

// maxModelName bounds a model's name, in characters: a name, not a description.
const maxModelName = 150

// ModelDraft is a model being registered (ID empty) or recognised (ID and Ver set) on the
// Model* screens.
type ModelDraft struct {
	Unit  string `json:"unit"`
	ID    string `json:"id,omitempty"`
	Ver   int    `json:"ver,omitempty"`
	Name  string `json:"name,omitempty"`
	Field string `json:"field,omitempty"`
	Start string `json:"start,omitempty"` // "2006-01"
	// Level is the recognising level chosen; "-" for "not recognised".
	Level string `json:"level,omitempty"`
}

func init() {
	addTexts(map[string]Text{
		"cmd_mohinh":   {Vi: "/mohinh — sổ mô hình “Dân vận khéo” của đơn vị: xem, đăng ký, ghi nhận điển hình", En: "/mohinh — your units' “Dân vận khéo” models: list, register, record an exemplar"},
		"cmd_mohinh_l": {Vi: "/mohinh — mô hình “Dân vận khéo” trong phạm vi, theo lĩnh vực, địa bàn, tổ chức", En: "/mohinh — “Dân vận khéo” models in your scope, by field, place or organisation"},
		"mh_off":       {Vi: "Sổ mô hình “Dân vận khéo” chưa được bật trên bot này.", En: "The “Dân vận khéo” register is not enabled on this bot."},
		"mh_no_units":  {Vi: "Chỉ cán bộ phụ trách đơn vị mới đăng ký được mô hình cho đơn vị mình. Gõ /mohinh để xem các mô hình.", En: "Only a unit's organisers register its models. Type /mohinh to see the models."},
		"mh_nobody":    {Vi: "Bạn không phụ trách đơn vị nào và không có phạm vi lãnh đạo nên không có sổ mô hình để xem.", En: "You report for no unit and lead no scope, so there is no register to show."},
		"mh_pick_unit": {Vi: "📒 Đăng ký mô hình “Dân vận khéo” cho đơn vị nào?", En: "📒 Register a “Dân vận khéo” model for which unit?"},
		"mh_head":      {Vi: "📒 Đăng ký mô hình “Dân vận khéo” · %s", En: "📒 Register a “Dân vận khéo” model · %s"},
		"mh_ask_name":  {Vi: "(1/4) Tên mô hình?\nVí dụ: Dân vận khéo trong xây dựng nông thôn mới ở bản Sìn Chải.", En: "(1/4) The model's name?"},
		"mh_ask_field": {Vi: "(2/4) Mô hình thuộc lĩnh vực nào?", En: "(2/4) Which field is it in?"},
		"mh_ask_start": {Vi: "(3/4) Bắt đầu xây dựng từ tháng nào? Gõ tháng/năm, ví dụ 03/2026.", En: "(3/4) Which month did it start? Type month/year, e.g. 03/2026."},
		"mh_ask_level": {Vi: "(4/4) Mô hình đã được công nhận là điển hình “Dân vận khéo” chưa? Nếu rồi, ở cấp nào?", En: "(4/4) Has it been recognised as a “Dân vận khéo” exemplar? If so, by which level?"},
		"mh_card":      {Vi: "📒 Kiểm tra trước khi lưu\nĐơn vị: %s\nTên mô hình: %s\nLĩnh vực: %s\nBắt đầu: %s\nĐiển hình: %s", En: "📒 Check before saving\nUnit: %s\nModel: %s\nField: %s\nStarted: %s\nExemplar: %s"},
		"mh_not_yet":   {Vi: "chưa được công nhận", En: "not recognised"},
		"mh_level":     {Vi: "được công nhận %s", En: "recognised by the %s"},
		"btn_not_yet":  {Vi: "Chưa", En: "Not yet"},
		"btn_this_mo":  {Vi: "Tháng này: %s", En: "This month: %s"},
		"btn_save":     {Vi: "💾 Lưu", En: "💾 Save"},
		"mh_saved":     {Vi: "✅ Đã đăng ký mô hình “%s” (số %s) của %s. Gõ /mohinh để xem sổ mô hình.", En: "✅ Registered the model “%s” (no. %s) of %s. Type /mohinh to see the register."},
		"mh_name_bad":  {Vi: "Tên mô hình cần có chữ, tối đa %d ký tự. Vui lòng gõ lại.", En: "A model's name needs words, at most %d characters. Please type it again."},
		"mh_month_bad": {Vi: "Bot chưa hiểu tháng bắt đầu. Vui lòng gõ tháng/năm, ví dụ 03/2026 (không sau tháng này).", En: "The bot did not understand the month. Please type month/year, e.g. 03/2026 (not after this month)."},
		"mh_rec_ask":   {Vi: "🏅 Mô hình “%s” (%s) được công nhận là điển hình “Dân vận khéo” ở cấp nào?", En: "🏅 Which level recognised the model “%s” (%s) as a “Dân vận khéo” exemplar?"},
		"mh_rec_done":  {Vi: "✅ Đã ghi nhận: mô hình “%s” của %s được công nhận điển hình %s.", En: "✅ Recorded: the model “%s” of %s was recognised as an exemplar by the %s."},
		"mh_rec_gone":  {Vi: "Mô hình này đã được ghi nhận là điển hình, hoặc không còn trong sổ. Gõ /mohinh để xem sổ mới nhất.", En: "This model is already recorded as an exemplar, or is no longer in the register. Type /mohinh for the latest."},
	})
}

// modelCommand runs /mohinh: "thêm" (or "them", "add") registers a model; "linhvuc", "xa",
// "tochuc" list a leader's models by field, place or organisation; nothing shows the person's
// own register (an organiser) or their scope's (a leader).
func (t *turn) modelCommand(args string) {
	if len(t.env.Register.Fields) == 0 {
		t.say(t.T("mh_off"))
		return
	}
	t.reset()
	switch by := modelBy(args); {
	case by == "add":
		t.startModel("")
	case by != "" || len(t.units()) == 0:
		t.modelList(modelReq{by: by, view: View{}, all: true})
	default:
		t.unitModels()
	}
}

// modelBy reads /mohinh's argument: "add", a grouping of the leaders' list ("field", "place",
// "org"), or "" for the default view.
func modelBy(args string) string {
	switch strings.ToLower(strings.Join(strings.Fields(args), "")) {
	case "them", "thêm", "add", "dangky", "đăngký", "moi", "mới":
		return "add"
	case "linhvuc", "lĩnhvực", "field":
		return "field"
	case "xa", "xã", "phuong", "phường", "xãphường", "place":
		return "place"
	case "tochuc", "tổchức", "org":
		return "org"
	}
	return ""
}

// startModel begins registering a model of unit, or asks which unit when it is "" and the
// person has several.
func (t *turn) startModel(unit string) {
	if len(t.env.Register.Fields) == 0 {
		t.say(t.T("mh_off"))
		return
	}
	units := t.units()
	if unit == "" {
		switch len(units) {
		case 0:
			t.say(t.T("mh_no_units"))
			return
		case 1:
			unit = units[0]
		default:
			t.reset()
			t.st.Screen, t.st.Model = AskModelUnit, &ModelDraft{}
			t.prompt()
			return
		}
	}
	if !t.env.Person.Organises(unit) {
		t.reset()
		t.refuse()
		return
	}
	t.reset()
	t.st.Screen, t.st.Model = AskModelName, &ModelDraft{Unit: unit}
	t.prompt()
}

// modelAct carries out a press on a model screen; false when action is not one of them.
func (t *turn) modelAct(action, arg string) bool {
	m := t.st.Model
	switch {
	case action == "reg":
		t.useRegister()
	case m == nil || !strings.HasPrefix(action, "m"):
		return false
	case action == "mu" && t.st.Screen == AskModelUnit:
		t.startModel(arg)
	case action == "mf" && t.st.Screen == AskModelField:
		if _, ok := t.env.Register.Field(arg); ok {
			m.Field, t.st.Screen = arg, AskModelStart
		}
		t.prompt()
	case action == "mnow" && t.st.Screen == AskModelStart:
		m.Start, t.st.Screen = t.now.In(t.loc()).Format("2006-01"), AskModelLevel
		t.prompt()
	case action == "ml" && t.st.Screen == AskModelLevel:
		t.pickLevel(arg)
	case action == "msave" && t.st.Screen == ModelCard:
		t.saveModel()
	default:
		return false
	}
	return true
}

// typedModel takes what is typed on a model screen that asks for text: the name, the month.
func (t *turn) typedModel(s string) bool {
	m := t.st.Model
	if m == nil {
		return false
	}
	switch t.st.Screen {
	case AskModelName:
		name := NeutralLine(strings.ToValidUTF8(s, ""))
		if !hasWord(name) || utf8.RuneCountInString(name) > maxModelName {
			t.say(t.T("mh_name_bad", maxModelName))
			t.prompt()
			return true
		}
		m.Name, t.st.Screen = name, AskModelField
	case AskModelStart:
		if b, ok := matchChoice(t.render().Buttons, s); ok {
			_, rest, _ := strings.Cut(b.Data, "|")
			action, arg, _ := strings.Cut(rest, "|")
			t.choose(action, arg)
			return true
		}
		month, ok := ParseMonth(s, t.now.In(t.loc()))
		if !ok {
			t.say(t.T("mh_month_bad"))
			t.prompt()
			return true
		}
		m.Start, t.st.Screen = month.Format("2006-01"), AskModelLevel
	default:
		return false
	}
	t.prompt()
	return true
}

// pickLevel takes the level of a new model ("-": not recognised) or records the recognition of
// an existing one.
func (t *turn) pickLevel(id string) {
	m := t.st.Model
	if _, ok := t.env.Register.Level(id); !ok && (id != "-" || m.ID != "") {
		t.prompt()
		return
	}
	m.Level = id
	if m.ID != "" {
		t.recognise()
		return
	}
	t.st.Screen = ModelCard
	t.prompt()
}

// saveModel registers the model on the card, checking the person's unit and the answers again.
func (t *turn) saveModel() {
	d := *t.st.Model
	start, err := time.ParseInLocation("2006-01", d.Start, t.loc())
	_, fieldOK := t.env.Register.Field(d.Field)
	if !t.env.Person.Organises(d.Unit) || err != nil || !fieldOK || d.Name == "" {
		t.reset()
		t.refuse()
		return
	}
	m := Model{ID: nextModelID(t.env.Models[d.Unit]), Unit: d.Unit, Name: d.Name, Field: d.Field, Start: start,
		By: t.env.Person.ID, At: t.now, Version: 1}
	if d.Level != "-" {
		m.Level, m.RecognisedAt = d.Level, t.now
	}
	t.effect(SaveModel{Model: m})
	t.reset()
	t.say(t.T("mh_saved", m.Name, m.ID, t.env.Dir.Label(m.Unit, t.lang)))
}

// startRecognise begins recording that model id of unit was recognised as an exemplar: an
// unbound button of the unit's register, so everything is checked again.
func (t *turn) startRecognise(unit, id string) {
	if !t.env.Person.Organises(unit) {
		t.refuse()
		return
	}
	m, ok := findModel(t.env.Models[unit], id)
	if !ok || m.Level != "" {
		t.say(t.T("mh_rec_gone"))
		return
	}
	t.reset()
	t.st.Screen = AskModelLevel
	t.st.Model = &ModelDraft{Unit: unit, ID: id, Ver: m.Version, Name: m.Name}
	t.prompt()
}

// recognise saves the recognition chosen on the level screen, if the model is still as shown.
func (t *turn) recognise() {
	d := *t.st.Model
	t.reset()
	m, ok := findModel(t.env.Models[d.Unit], d.ID)
	switch {
	case !t.env.Person.Organises(d.Unit):
		t.refuse()
		return
	case !ok || m.Version != d.Ver || m.Level != "":
		t.say(t.T("mh_rec_gone"))
		return
	}
	m.Level, m.RecognisedAt, m.Version = d.Level, t.now, m.Version+1
	t.effect(SaveModel{Model: m})
	t.say(t.T("mh_rec_done", m.Name, t.env.Dir.Label(m.Unit, t.lang), t.env.Register.LevelName(m.Level, t.lang)))
}

func findModel(ms []Model, id string) (Model, bool) {
	for _, m := range ms {
		if m.ID == id {
			return m, true
		}
	}
	return Model{}, false
}

// renderModel draws the model screens.
func (t *turn) renderModel() Reply {
	m := t.st.Model
	if m == nil {
		return Reply{Text: t.T("idle_text")}
	}
	head := t.T("mh_head", t.env.Dir.Label(m.Unit, t.lang)) + "\n"
	cancel := []Button{t.btn(t.T("btn_cancel"), "cancel", "")}
	switch t.st.Screen {
	case AskModelUnit:
		r := Reply{Text: t.T("mh_pick_unit")}
		for _, u := range t.units() {
			r.Buttons = append(r.Buttons, []Button{t.btn(t.env.Dir.Label(u, t.lang), "mu", u)})
		}
		r.Buttons = append(r.Buttons, cancel)
		return r
	case AskModelName:
		return Reply{Text: head + t.T("mh_ask_name"), Free: true, Buttons: [][]Button{cancel}}
	case AskModelField:
		r := Reply{Text: head + t.T("mh_ask_field")}
		for _, f := range t.env.Register.Fields {
			r.Buttons = append(r.Buttons, []Button{t.btn(f.Button(t.lang), "mf", f.ID)})
		}
		r.Buttons = append(r.Buttons, t.navRow())
		return r
	case AskModelStart:
		now := t.now.In(t.loc()).Format("01/2006")
		return Reply{Text: head + t.T("mh_ask_start"), Free: true,
			Buttons: [][]Button{{t.btn(t.T("btn_this_mo", now), "mnow", "")}, t.navRow()}}
	case AskModelLevel:
		return t.renderLevels(head)
	}
	return Reply{Text: t.modelCard(), Buttons: [][]Button{{t.btn(t.T("btn_save"), "msave", "")}, t.navRow()}}
}

// renderLevels asks which level recognised the model: a new one may not be recognised yet.
func (t *turn) renderLevels(head string) Reply {
	m := t.st.Model
	r := Reply{Text: head + t.T("mh_ask_level")}
	var row []Button
	if m.ID == "" {
		row = append(row, t.btn(t.T("btn_not_yet"), "ml", "-"))
	} else {
		r.Text = t.T("mh_rec_ask", m.Name, t.env.Dir.Label(m.Unit, t.lang))
	}
	for _, l := range t.env.Register.Levels {
		row = append(row, t.btn(upperFirst(l.Name.In(t.lang)), "ml", l.ID))
	}
	r.Buttons = [][]Button{row, t.navRow()}
	if m.ID != "" {
		r.Buttons[1] = []Button{t.btn(t.T("btn_cancel"), "cancel", "")}
	}
	return r
}

// modelCard is what the person checks before saving.
func (t *turn) modelCard() string {
	m := t.st.Model
	level := t.T("mh_not_yet")
	if m.Level != "-" && m.Level != "" {
		level = t.T("mh_level", t.env.Register.LevelName(m.Level, t.lang))
	}
	start := m.Start
	if mo, err := time.Parse("2006-01", m.Start); err == nil {
		start = mo.Format("01/2006")
	}
	return t.T("mh_card", t.env.Dir.Label(m.Unit, t.lang), m.Name, t.env.Register.FieldName(m.Field, t.lang), start, level)
}

// modelBack goes one model screen back; false when the chat is on none.
func (t *turn) modelBack() bool {
	prev := map[Screen]Screen{AskModelField: AskModelName, AskModelStart: AskModelField, AskModelLevel: AskModelStart, ModelCard: AskModelLevel}
	p, ok := prev[t.st.Screen]
	if !ok || t.st.Model == nil || (t.st.Screen == AskModelLevel && t.st.Model.ID != "") {
		return false
	}
	t.st.Screen = p
	t.prompt()
	return true
}

// ParseMonth reads the month a model started, as people write it: "03/2026", "3/2026",
// "3-2026", "2026-03", "15/03/2026" (the day is dropped), "tháng 3/2026", "tháng 3 năm 2026". A
// month after now's, or before 2000, is refused. It returns the first day of the month in now's
// zone.
func ParseMonth(s string, now time.Time) (time.Time, bool) {
	var nums []int
	cur, in := 0, false
	for _, r := range strings.ToLower(s) + " " {
		if r >= '0' && r <= '9' {
			if cur > 100000 {
				return time.Time{}, false
			}
			cur, in = cur*10+int(r-'0'), true
			continue
		}
		if in {
			nums, cur, in = append(nums, cur), 0, false
		}
		if !strings.ContainsRune(" /-.,thángnămtTNĂ", r) {
			return time.Time{}, false
		}
	}
	var m, y int
	switch {
	case len(nums) == 2 && nums[0] >= 1000:
		y, m = nums[0], nums[1]
	case len(nums) == 2:
		m, y = nums[0], nums[1]
	case len(nums) == 3 && nums[0] >= 1 && nums[0] <= 31:
		m, y = nums[1], nums[2]
	default:
		return time.Time{}, false
	}
	if m < 1 || m > 12 || y < 2000 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, now.Location())
	if t.After(now) {
		return time.Time{}, false
	}
	return t, true
}

// upperFirst writes s with its first letter in upper case: "Cấp tỉnh" on a button.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}
