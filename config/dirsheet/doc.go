// Package dirsheet owns the directory of units as the spreadsheet an admin fills in: one place or
// unit a row, in the columns Mã (code), Tên (name), Cấp trên (parent), Tổ chức (organisation),
// Hiệu lực từ and Hiệu lực đến (valid from and to), Sáp nhập từ (merged from) and, optionally,
// Tên tiếng Anh (English name). It reads such a sheet (XLSX or CSV) into the entries of a
// directory, checked, with every error at its row and column; writes a directory as the same
// sheet, so a valid sheet round-trips; and says what a sheet changes against the directory in
// force. Checker serves the bot's port for sheets an admin sends in a chat.
//
// The sheet carries codes and names, not the bot's ids: a row's Mã is the official code where
// the place has one, or any short code of the admin's own, and Cấp trên and Sáp nhập từ name
// other rows by their Mã. Ids come from the directory in force, so what is stored under them
// stays: a Mã that is the code (or the id) of an entry of it keeps that entry's id, a new Mã
// becomes the id of a new entry, and a unit without a Mã is "<its place's id>-<organisation
// id>", the ids the shipped directory and the nationwide one are built of. Entries of the
// directory in force that the sheet leaves out are kept as they were: a directory never loses
// an entry, and what was reported for it keeps its name.
//
// It never touches Redis, the configuration or a platform: it reads bytes and returns flows
// types; counting stored reports goes through its Counter port.
package dirsheet
