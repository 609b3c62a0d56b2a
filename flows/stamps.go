package flows

// Stamps count the store's writes to what a chat's steps read besides the chat's own state: the
// person's record, and the reports of each of their units (drafts, submissions and returns, of
// every period). The store moves a count in the same step as each write it counts, and before
// that write is acknowledged to anyone; it reads the counts before the data they count. So a
// Reading loaded with its Stamps is still what the store holds for as long as the counts have
// not moved, whichever process wrote meanwhile.
//
// flows never reads them: the dispatcher keeps them with a Reading between steps and hands them
// to the store's commit, which refuses a step taken on a reading the store has since moved past.
type Stamps struct {
	// Person is the id of the person whose record was read; "" when the chat has nobody linked.
	Person string
	// Record counts the writes to that person's record.
	Record int64
	// Units counts, per unit id, the writes to the unit's reports.
	Units map[string]int64
}
