package flows

import "fmt"

// texts holds every fixed sentence the bot says, Vietnamese first. Keys are short and stable so
// golden scripts stay readable.
var texts = map[string]Text{
	"stranger": {
		Vi: "Xin chào! Đây là bot báo cáo công tác dân vận của %[1]s. Bạn chưa được mời sử dụng bot. Vui lòng liên hệ %[1]s để nhận mã mời, rồi mở liên kết mời hoặc gõ /start <mã>.",
		En: "Hello! This is the %[1]s reporting bot. You have not been invited yet. Please ask the %[1]s for an invite code, then open the invite link or type /start <code>.",
	},
	"welcome":        {Vi: "Xin chào %s! Bạn có thể dùng các lệnh sau:", En: "Hello %s! You can use these commands:"},
	"help_units":     {Vi: "Đơn vị bạn phụ trách: %s", En: "Your units: %s"},
	"unknown_cmd":    {Vi: "Không có lệnh /%s. Gõ /help để xem các lệnh.", En: "There is no /%s command. Type /help to see the commands."},
	"lang_set":       {Vi: "Đã chuyển sang tiếng Việt.", En: "Language set to English."},
	"lang_usage":     {Vi: "Dùng: /lang vi hoặc /lang en", En: "Use: /lang vi or /lang en"},
	"no_units":       {Vi: "Bạn không phụ trách đơn vị nào nên không có báo cáo để gửi.", En: "You are not in charge of any unit, so there is nothing to report."},
	"period_closed":  {Vi: "Kỳ báo cáo %s đã đóng, không nhận thêm số liệu. Gõ /report để báo cáo kỳ đang mở.", En: "The %s reporting period has closed. Type /report for an open period."},
	"not_yours":      {Vi: "Bạn không còn phụ trách đơn vị của báo cáo này. Gõ /report để bắt đầu lại.", En: "You no longer report for this unit. Type /report to start again."},
	"no_period":      {Vi: "Hiện không có kỳ báo cáo nào đang mở.", En: "No reporting period is open right now."},
	"pick_unit":      {Vi: "Bạn báo cáo cho đơn vị nào?", En: "Which unit are you reporting for?"},
	"mark_sent":      {Vi: "✅ đã gửi", En: "✅ sent"},
	"mark_draft":     {Vi: "📝 nháp %d/%d", En: "📝 draft %d/%d"},
	"resume":         {Vi: "Bạn có bản nháp %d/%d của biểu mẫu này.", En: "You have a draft of this form, %d/%d answered."},
	"btn_continue":   {Vi: "▶️ Tiếp tục", En: "▶️ Continue"},
	"btn_restart":    {Vi: "🔄 Làm lại", En: "🔄 Start over"},
	"btn_back":       {Vi: "⬅️ Quay lại", En: "⬅️ Back"},
	"btn_cancel":     {Vi: "✖️ Hủy", En: "✖️ Cancel"},
	"btn_keep":       {Vi: "Giữ như kỳ trước: %s", En: "Keep last period's: %s"},
	"unit_until":     {Vi: " (đến %s)", En: " (until %s)"},
	"keep_sum":       {Vi: " (cộng %d đơn vị cũ)", En: " (%d former units added up)"},
	"prev_sum":       {Vi: "\n(kỳ trước: cộng %d đơn vị cũ)", En: "\n(last period: %d former units added up)"},
	"btn_keep_sent":  {Vi: "Giữ như đã gửi: %s", En: "Keep as submitted: %s"},
	"btn_keep_cur":   {Vi: "Giữ như đã nhập: %s", En: "Keep: %s"},
	"btn_send":       {Vi: "📤 Gửi", En: "📤 Submit"},
	"btn_edit":       {Vi: "✏️ Sửa", En: "✏️ Edit"},
	"btn_yes":        {Vi: "✅ Đúng, giữ %s", En: "✅ Yes, keep %s"},
	"btn_retype":     {Vi: "↩️ Nhập lại", En: "↩️ Type again"},
	"ask_number":     {Vi: "Trả lời bằng một số nguyên, ví dụ 1.250.", En: "Answer with a whole number, e.g. 1250."},
	"cancelled":      {Vi: "Đã hủy. Bản nháp vẫn được giữ; gõ /report để tiếp tục khi nào bạn muốn.", En: "Cancelled. Your draft is kept; type /report to go on whenever you like."},
	"nothing":        {Vi: "Không có việc gì đang làm. Gõ /report để gửi báo cáo.", En: "Nothing in progress. Type /report to submit a report."},
	"choose":         {Vi: "Vui lòng chọn một trong các lựa chọn bên dưới.", En: "Please pick one of the choices below."},
	"moved":          {Vi: "Báo cáo này vừa được thay đổi ở nơi khác. Vui lòng xem lại bản mới nhất bên dưới.", En: "This report was just changed elsewhere. Please check the latest version below."},
	"sent_elsewhere": {Vi: "Báo cáo %s đã được gửi (phiên bản %d, mã %s). Gõ /mine để xem, hoặc /report để sửa và gửi lại.", En: "The %s report was submitted (version %d, ref %s). Type /mine to see it, or /report to change and resubmit."},
	"restarted":      {Vi: "Biểu mẫu này đã thay đổi ở nơi khác nên cuộc trò chuyện được bắt đầu lại. Bản nháp vẫn được giữ; gõ /report để tiếp tục.", En: "This form changed elsewhere, so the conversation starts over. Your draft is kept; type /report to go on."},
	"stale":          {Vi: "Biểu mẫu này đã thay đổi. Vui lòng dùng tin nhắn mới nhất.", En: "This form has moved on. Please use the latest message."},
	"media":          {Vi: "Bot chỉ đọc được chữ và số. Vui lòng gõ câu trả lời.", En: "The bot reads only text. Please type your answer."},
	"idle_text":      {Vi: "Gõ /report để gửi báo cáo, hoặc /help để xem hướng dẫn.", En: "Type /report to submit a report, or /help for help."},
	"summary":        {Vi: "Kiểm tra lại trước khi gửi", En: "Check before submitting"},
	"summary_v":      {Vi: "Đơn vị đã gửi phiên bản %d (mã %s). Gửi lần này sẽ tạo phiên bản %d; bản cũ được lưu trong lịch sử.", En: "Version %d was submitted (ref %s). Submitting makes version %d; the old one stays in history."},
	"edit_pick":      {Vi: "Sửa mục nào?", En: "Which answer to change?"},
	"submitted":      {Vi: "✅ Đã gửi báo cáo %s\n%s · %s\nSố tham chiếu: %s (phiên bản %d)", En: "✅ Submitted: %s\n%s · %s\nReference: %s (version %d)"},
	"soft":           {Vi: "%s: %s từ %s (kỳ trước) thành %s — có đúng không?", En: "%s: %s from %s (last period) to %s — is that right?"},
	"fell":           {Vi: "giảm", En: "fell"},
	"rose":           {Vi: "tăng", En: "rose"},
	"err_le":         {Vi: "%s (%s) không thể lớn hơn %s (%s). Vui lòng nhập lại.", En: "%s (%s) cannot be more than %s (%s). Please type it again."},
	"err_min":        {Vi: "Số này phải từ %s trở lên.", En: "This must be at least %s."},
	"mine_none":      {Vi: "%s: chưa gửi.", En: "%s: not submitted."},
	"mine_other":     {Vi: "(do cán bộ khác của đơn vị gửi)", En: "(sent by another organiser of the unit)"},
	"mine_form":      {Vi: "%s: phiên bản %d, mã %s, gửi lúc %s", En: "%s: version %d, ref %s, sent %s"},
	"mine_head":      {Vi: "Kỳ %s — số liệu đơn vị của bạn đã gửi:", En: "%s — what your units submitted:"},
	"not_admin":      {Vi: "Chỉ cán bộ quản trị mới tạo được mã mời.", En: "Only admins can make invite codes."},
	"inv_role":       {Vi: "Mời ai?", En: "Invite whom?"},
	"inv_org":        {Vi: "Cán bộ phụ trách đơn vị", En: "Organiser of units"},
	"inv_leader":     {Vi: "Lãnh đạo (xem số liệu)", En: "Leader (reads figures)"},
	"inv_admin":      {Vi: "Quản trị viên (mời cán bộ, lịch nhắc)", En: "Admin (invites people, runs reminders)"},
	"inv_nodes_a":    {Vi: "%s\nChọn nơi quản trị viên được quản trị (có thể chọn nhiều). Đã chọn: %s", En: "%s\nChoose where the admin administers (several allowed). Chosen: %s"},
	"inv_nodes_o":    {Vi: "%s\nChọn đơn vị cho cán bộ phụ trách (có thể chọn nhiều). Đã chọn: %s", En: "%s\nChoose the organiser's units (several allowed). Chosen: %s"},
	"inv_nodes_l":    {Vi: "%s\nChọn phạm vi lãnh đạo được xem (có thể chọn nhiều). Đã chọn: %s", En: "%s\nChoose the leader's scope (several allowed). Chosen: %s"},
	"inv_top":        {Vi: "Nơi bạn quản trị", En: "Where you administer"},
	"inv_none":       {Vi: "chưa có", En: "none"},
	"inv_up":         {Vi: "⬆️ Lên trên", En: "⬆️ Up"},
	"inv_all":        {Vi: "Cả %s", En: "All of %s"},
	"inv_make":       {Vi: "🎟 Tạo mã mời", En: "🎟 Make the code"},
	"inv_made":       {Vi: "Mã mời: %s\nLiên kết: %s\nDùng một lần, hết hạn lúc %s.\n%s: %s\nGửi liên kết này cho người được mời.", En: "Invite code: %s\nLink: %s\nOne use only, expires %s.\n%s: %s\nSend this link to the person you invite."},
	"inv_ok":         {Vi: "Chào mừng %s! Bạn đã được liên kết: %s.", En: "Welcome %s! You are now linked: %s."},
	"inv_bad":        {Vi: "Mã mời không đúng, đã dùng hoặc đã hết hạn. Vui lòng kiểm tra lại hoặc xin mã mới từ %s.", En: "This invite code is wrong, used or expired. Please check it or ask the %s for a new one."},
	"inv_throttle":   {Vi: "Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau một giờ.", En: "Too many wrong codes. Please try again in an hour."},
	"inv_paused":     {Vi: "Hệ thống tạm ngừng nhận mã mời vài phút vì có quá nhiều mã sai. Vui lòng thử lại sau 10 phút.", En: "Invite codes are paused for a few minutes after too many wrong ones. Please try again in 10 minutes."},
	"file_off":       {Vi: "Chức năng gửi tệp chưa được bật trên bot này.", En: "Sending files is not enabled on this bot."},
	"file_failed":    {Vi: "Không tạo được tệp lúc này. Vui lòng thử lại sau ít phút.", En: "The file could not be made just now. Please try again in a few minutes."},
	"busy":           {Vi: "Hệ thống đang bận, vui lòng thử lại sau ít phút.", En: "The system is busy, please try again in a few minutes."},
	"num_empty":      {Vi: "Bạn chưa nhập gì. Vui lòng gõ một số, ví dụ 1.250.", En: "Nothing was typed. Please type a number, e.g. 1250."},
	"num_word":       {Vi: "Bot chưa hiểu câu trả lời. Vui lòng gõ bằng chữ số, ví dụ 1.250.", En: "The bot did not understand. Please type digits, e.g. 1250."},
	"num_negative":   {Vi: "Số liệu không thể là số âm. Vui lòng gõ một số từ 0 trở lên.", En: "A figure cannot be negative. Please type 0 or more."},
	"num_fraction":   {Vi: "Mục này cần số nguyên (không có phần lẻ). Ý bạn là bao nhiêu? Lưu ý: 1.250 là một nghìn hai trăm năm mươi.", En: "This needs a whole number. Which did you mean? Note: in Vietnamese 1.250 is one thousand two hundred and fifty."},
	"num_ambiguous":  {Vi: "Bot không chắc bạn muốn ghi số nào. Vui lòng gõ lại chỉ bằng chữ số, không dấu phân cách, ví dụ 1250.", En: "The bot is not sure which number you meant. Please type digits only, e.g. 1250."},
	"num_large":      {Vi: "Số này quá lớn (tối đa %s). Vui lòng kiểm tra lại.", En: "That number is too large (at most %s). Please check it."},
	"num_several":    {Vi: "Vui lòng chỉ gõ một số.", En: "Please type just one number."},
	"role_org":       {Vi: "cán bộ phụ trách", En: "organiser"},
	"role_leader":    {Vi: "lãnh đạo", En: "leader"},
	"role_admin":     {Vi: "quản trị viên", En: "admin"},
}

// addTexts adds the texts of one feature, kept in that feature's file; it is called from init
// and panics on a key already taken, so two features can never silently share one.
func addTexts(m map[string]Text) {
	for k, v := range m {
		if _, dup := texts[k]; dup {
			panic("flows: text " + k + " defined twice")
		}
		texts[k] = v
	}
}

// T returns the text with key in lang, formatted with args. Unknown keys show as themselves so
// a missing text is visible in golden scripts rather than silently empty.
func T(lang Lang, key string, args ...any) string { return text(lang, false, key, args...) }

// TFor is T as it reads to p: leaders and admins are addressed as "đồng chí" (Formal).
func TFor(p Person, lang Lang, key string, args ...any) string {
	return text(lang, Formal(p), key, args...)
}

// T is the package T for the person of the turn, in their language and form of address.
func (t *turn) T(key string, args ...any) string {
	return text(t.lang, Formal(t.env.Person), key, args...)
}

func text(lang Lang, formal bool, key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return "{" + key + "}"
	}
	f := t.In(lang)
	if formal {
		f = comrade(f) // before formatting: what args bring in (names, reasons) is never changed
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}
