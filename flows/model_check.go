package flows

// This file checks the Activities form's counts of models and exemplars against the unit's
// register, once the unit uses it for the period (ModelCount.Used): the question offers the
// register's count as a button, and a typed number that differs is shown back to confirm, as a
// big change against the last period is (the same SoftConfirm screen and Draft.Confirmed).

func init() {
	addTexts(map[string]Text{
		"btn_register": {Vi: "📒 Theo sổ mô hình: %s", En: "📒 As in the register: %s"},
		"soft_reg":     {Vi: "%s: sổ mô hình “Dân vận khéo” của đơn vị ghi %s cho kỳ này, bạn nhập %s — có đúng không?", En: "%s: the unit's “Dân vận khéo” register has %s for this period, you typed %s — is that right?"},
		"btn_use_reg":  {Vi: "📒 Dùng số của sổ: %s", En: "📒 Use the register's: %s"},
	})
}

// registerCount is the register's count for q in the current report, when q is checked against
// the register and the unit uses it for the period.
func (t *turn) registerCount(q Question) (int64, bool) {
	if q.Register == "" || q.IsText() {
		return 0, false
	}
	c := CountModels(t.env.Models[t.st.Key.Unit], t.period())
	if !c.Used() {
		return 0, false
	}
	return c.Of(q.Register)
}

// registerButton offers the register's count for q.
func (t *turn) registerButton(q Question) (Button, bool) {
	n, ok := t.registerCount(q)
	if !ok {
		return Button{}, false
	}
	return t.btn(t.T("btn_register", t.num(n)), "reg", ""), true
}

// registerDiffers reports whether v differs from the register's count for q and the person
// has not confirmed v yet.
func (t *turn) registerDiffers(q Question, v int64) bool {
	n, ok := t.registerCount(q)
	if !ok || n == v {
		return false
	}
	c, confirmed := t.workDraft().Confirmed[q.ID]
	return !confirmed || c != v
}

// useRegister answers the current question with the register's count.
func (t *turn) useRegister() {
	q, ok := t.question()
	if !ok || (t.st.Screen != Asking && t.st.Screen != SoftConfirm) {
		t.prompt()
		return
	}
	n, ok := t.registerCount(q)
	if !ok {
		t.prompt()
		return
	}
	t.answer(q, n, true)
}

// renderRegisterSoft asks to confirm a number that differs from the register's; false when the
// pending answer does not.
func (t *turn) renderRegisterSoft(q Question) (Reply, bool) {
	if t.st.Pending == nil {
		return Reply{}, false
	}
	v := *t.st.Pending
	n, ok := t.registerCount(q)
	if !ok || n == v {
		return Reply{}, false
	}
	return Reply{
		Free: true,
		Text: t.T("soft_reg", q.Label.In(t.lang), t.num(n), t.num(v)),
		Buttons: [][]Button{
			{t.btn(t.T("btn_yes", t.num(v)), "ok", ""), t.btn(t.T("btn_use_reg", t.num(n)), "reg", "")},
			{t.btn(t.T("btn_retype"), "redo", "")},
			t.navRow(),
		},
	}, true
}
