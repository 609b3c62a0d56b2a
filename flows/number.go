package flows

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// NumberError is why a typed answer is not a whole number the bot accepts. Each kind gets its
// own message, so the person learns what to fix rather than just seeing the question again.
type NumberError int

const (
	// ErrEmpty means nothing was typed but spaces.
	ErrEmpty NumberError = iota + 1
	// ErrNotNumber means there are no digits we can read: words, emoji, "abc", "???", "N/A".
	ErrNotNumber
	// ErrNegative means a minus sign or "âm" before the number: counts are never below zero.
	ErrNegative
	// ErrFraction means a decimal part ("1,5", "2,75") where the question wants a whole number.
	ErrFraction
	// ErrAmbiguous means the separators allow two readings ("1.250,5", "1,250.000", "1.2500",
	// "12.34.5"): we ask back instead of guessing.
	ErrAmbiguous
	// ErrTooLarge means above the question's limit, or too long to be a count at all.
	ErrTooLarge
	// ErrSeveral means two separate numbers, such as "12 15" or "từ 10 đến 20".
	ErrSeveral
)

// Error returns a short English description, for logs and tests; people see texts instead.
func (e NumberError) Error() string {
	switch e {
	case ErrEmpty:
		return "number: empty answer"
	case ErrNotNumber:
		return "number: no digits"
	case ErrNegative:
		return "number: negative"
	case ErrFraction:
		return "number: not a whole number"
	case ErrAmbiguous:
		return "number: ambiguous separators"
	case ErrTooLarge:
		return "number: too large"
	case ErrSeveral:
		return "number: several numbers"
	}
	return "number: error " + strconv.Itoa(int(e))
}

// ParseNumber reads the whole number in what a person typed, Vietnamese style: "." groups
// thousands and "," marks decimals, but "1,250" typed English style is also 1250 because a
// single separator followed by exactly three digits can only be a thousands one in a count.
// Words, emoji and punctuation around one number are ignored; a multiplier word after it
// ("nghìn", "k", "triệu", "tr") scales it. Anything with two readings is refused with
// ErrAmbiguous so the bot asks back. A max of 0 or less means MaxNumber. The error is always
// a NumberError.
func ParseNumber(s string, max int64) (int64, error) {
	if max <= 0 {
		max = MaxNumber
	}
	rs, foreign := numNormalize(s)
	if numBlank(rs) {
		return 0, ErrEmpty
	}
	if foreign {
		return 0, ErrNotNumber
	}
	spans := numScan(rs)
	switch len(spans) {
	case 0:
		return numWordsOnly(rs)
	case 1:
		return numEvaluate(rs, spans[0], max)
	}
	return 0, ErrSeveral
}

// FormatNumber writes n the way Vietnamese readers expect, with "." between thousands:
// 1250 is "1.250". It is the inverse of ParseNumber for every n ParseNumber accepts.
func FormatNumber(n int64) string {
	u := uint64(n)
	if n < 0 {
		u = -u // wraps correctly even for math.MinInt64
	}
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// FormatNumberIn writes n for readers of lang: "1.250" in Vietnamese, "1,250" in English.
func FormatNumberIn(n int64, lang Lang) string {
	if lang == EN {
		return strings.ReplaceAll(FormatNumber(n), ".", ",")
	}
	return FormatNumber(n)
}

// num writes n in the person's language.
func (t *turn) num(n int64) string { return FormatNumberIn(n, t.lang) }

// pct writes a share in the person's language.
func (t *turn) pct(share float64) string { return FormatPercentIn(share, t.lang) }

// The normalised text uses these runes for classes of input; letters stay (folded) letters,
// digits become ASCII digits.
const (
	numGroupSpace = ' '  // a space that may sit between groups of thousands
	numBreak      = '\n' // any other white space: never inside a number
	numMinus      = '-'
	numOther      = '#' // punctuation, symbols, emoji, invalid UTF-8
)

// numNormalize maps s to one rune per meaningful character, so the scanner only deals with
// ASCII digits, '.', ',', the class runes above and folded letters. Marks (decomposed
// diacritics, emoji variation selectors) are dropped so "khoa\u0309ng" is still a word.
// foreign reports digits of another script, which we refuse rather than misread.
func numNormalize(s string) (rs []rune, foreign bool) {
	rs = make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',':
			rs = append(rs, r)
		case r >= '０' && r <= '９':
			rs = append(rs, '0'+r-'０')
		case r == '．':
			rs = append(rs, '.')
		case r == '，':
			rs = append(rs, ',')
		case unicode.In(r, unicode.Mn, unicode.Me) || r == '\u200d':
			// Dropped: part of the letter or emoji before it.
		case unicode.IsDigit(r):
			foreign = true
			rs = append(rs, numOther)
		case unicode.IsLetter(r):
			rs = append(rs, numFold(r))
		default:
			rs = append(rs, numSymbol(r))
		}
	}
	return rs, foreign
}

// numSymbol classes a rune that is neither digit, separator nor letter.
func numSymbol(r rune) rune {
	switch r {
	case ' ', '\u00a0', '\u202f', '\u2009', '\u2007':
		return numGroupSpace
	case '-', '\u2212', '\uff0d', '\u2012', '\u2013':
		return numMinus
	}
	if unicode.IsSpace(r) {
		return numBreak
	}
	return numOther
}

// numFolds takes Vietnamese letters to their base letter: many people type without
// diacritics ("khoang", "nghin"), so keywords are matched on the folded form.
var numFolds = func() map[rune]rune {
	m := make(map[rune]rune)
	for _, set := range []string{
		"aàáảãạăằắẳẵặâầấẩẫậ", "eèéẻẽẹêềếểễệ", "iìíỉĩị",
		"oòóỏõọôồốổỗộơờớởỡợ", "uùúủũụưừứửữự", "yỳýỷỹỵ", "dđ",
	} {
		base := []rune(set)[0]
		for _, r := range set {
			m[r] = base
		}
	}
	return m
}()

func numFold(r rune) rune {
	r = unicode.ToLower(r)
	if f, ok := numFolds[r]; ok {
		return f
	}
	return r
}

func numBlank(rs []rune) bool {
	for _, r := range rs {
		if r != numGroupSpace && r != numBreak {
			return false
		}
	}
	return true
}

func numIsDigit(r rune) bool { return r >= '0' && r <= '9' }

func numIsSep(r rune) bool { return r == '.' || r == ',' }

// numSpan is one number as typed: digit groups and the separators between them.
type numSpan struct {
	start, end int // rune offsets in the normalised text
	groups     []string
	seps       []rune
	odd        bool // doubled separators inside, "1..250": a slip we cannot read back
	// spaceable: so far only well-formed space-grouped thousands, so a space and three more
	// digits continue the number. Kept as we go, so long inputs stay linear.
	spaceable bool
}

// numScan finds the numbers in rs. Digits joined by '.' or ',' are one number; a single space
// joins only a valid thousands group ("1 250"), so "12 15" stays two numbers.
func numScan(rs []rune) []numSpan {
	var spans []numSpan
	for i := 0; i < len(rs); {
		if !numIsDigit(rs[i]) {
			i++
			continue
		}
		sp := numChunk(rs, i)
		if n := len(spans); n > 0 && numSpaceJoins(rs, spans[n-1], sp) {
			spans[n-1] = numJoin(spans[n-1], sp)
		} else if spans = append(spans, sp); len(spans) > 1 {
			return spans // two numbers already: nothing later changes the answer
		}
		i = sp.end
	}
	return spans
}

// numChunk reads the digits starting at i and any '.'/',' that have digits on both sides.
func numChunk(rs []rune, i int) numSpan {
	sp := numSpan{start: i}
	for {
		j := i
		for j < len(rs) && numIsDigit(rs[j]) {
			j++
		}
		sp.groups = append(sp.groups, string(rs[i:j]))
		k := j
		for k < len(rs) && numIsSep(rs[k]) {
			k++
		}
		if k == j || k == len(rs) || !numIsDigit(rs[k]) {
			sp.end = j
			sp.spaceable = len(sp.groups) == 1 && numGrouped(sp.groups) && sp.groups[0][0] != '0'
			return sp
		}
		sp.odd = sp.odd || k-j > 1
		sp.seps = append(sp.seps, rs[j])
		i = k
	}
}

func numSpaceJoins(rs []rune, a, b numSpan) bool {
	return a.spaceable && b.start == a.end+1 && rs[a.end] == numGroupSpace && len(b.groups[0]) == 3
}

func numJoin(a, b numSpan) numSpan {
	a.groups = append(a.groups, b.groups...)
	a.seps = append(append(a.seps, numGroupSpace), b.seps...)
	a.end, a.odd, a.spaceable = b.end, b.odd, len(b.groups) == 1
	return a
}

// numGrouped reports whether groups are well-formed thousands: 1–3 digits not starting with 0
// (a leading 0 says decimal: "0.250"), then groups of exactly 3.
func numGrouped(groups []string) bool {
	if len(groups[0]) > 3 || (len(groups) > 1 && groups[0][0] == '0') {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

func numAll(rs []rune, r rune) bool {
	for _, x := range rs {
		if x != r {
			return false
		}
	}
	return true
}

// numEvaluate turns the one number found into a value, looking at its surroundings for a sign,
// a bare decimal point or a multiplier word.
func numEvaluate(rs []rune, sp numSpan, max int64) (int64, error) {
	switch {
	case numNegative(rs, sp.start):
		return 0, ErrNegative
	case numBarePoint(rs, sp.start):
		return 0, ErrFraction
	case sp.odd:
		return 0, ErrAmbiguous
	}
	mult, scaled, err := numMultiplier(rs, sp.end)
	if err != nil {
		return 0, err
	}
	whole, frac, err := numSplit(sp.groups, sp.seps, scaled)
	if err != nil {
		return 0, err
	}
	return numValue(whole, frac, mult, max)
}

// numNegative looks for a minus sign or the word "âm" just before the number. A minus glued to
// a word ("KH-109") is a hyphen, not a sign.
func numNegative(rs []rune, start int) bool {
	j := start - 1
	for j >= 0 && (rs[j] == numGroupSpace || numIsSep(rs[j])) {
		j--
	}
	if j >= 0 && rs[j] == numMinus {
		return j == 0 || !unicode.IsLetter(rs[j-1])
	}
	k := j + 1
	for k > 0 && unicode.IsLetter(rs[k-1]) {
		k--
	}
	return string(rs[k:j+1]) == "am"
}

// numBarePoint reports ".5" or ",5": a decimal with no whole part. An ellipsis ("ừm...5") or a
// word glued to the point is not one.
func numBarePoint(rs []rune, start int) bool {
	if start == 0 || !numIsSep(rs[start-1]) {
		return false
	}
	if start == 1 {
		return true
	}
	r := rs[start-2]
	return !numIsSep(r) && !unicode.IsLetter(r)
}

// numMultipliers are the words that scale a number typed before them, folded.
var numMultipliers = map[string]int64{
	"chuc": 10, "tram": 100,
	"k": 1_000, "nghin": 1_000, "ngan": 1_000,
	"tr": 1_000_000, "trieu": 1_000_000,
	"ty": 1_000_000_000, "ti": 1_000_000_000,
}

// numMultiplier reads the multiplier words right after the number; they chain ("5 trăm nghìn").
// scaled reports that there was one, which makes "1,250 triệu" ambiguous.
func numMultiplier(rs []rune, end int) (mult int64, scaled bool, err error) {
	mult = 1
	for {
		i := end
		for i < len(rs) && rs[i] == numGroupSpace {
			i++
		}
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		m, ok := numMultipliers[string(rs[i:j])]
		if !ok {
			return mult, scaled, nil
		}
		if mult, ok = numMul(mult, m); !ok {
			return 0, false, ErrTooLarge
		}
		scaled, end = true, j
	}
}

// numSplit decides which separators group thousands and which one, if any, marks decimals,
// returning the whole digits and the decimal digits (at most 3).
func numSplit(groups []string, seps []rune, scaled bool) (whole, frac string, err error) {
	k := len(seps)
	if k == 0 {
		return groups[0], "", nil
	}
	head, last := seps[:k-1], seps[k-1]
	if numAll(head, last) {
		return numSplitUniform(groups, last, scaled)
	}
	// Spaces group thousands in every convention, so a different mark after them can only be
	// the decimal one, unless three digits follow it and it could be grouping as well.
	if last != numGroupSpace && numAll(head, numGroupSpace) && numGrouped(groups[:k]) &&
		len(groups[k]) <= 2 {
		return strings.Join(groups[:k], ""), groups[k], nil
	}
	return "", "", ErrAmbiguous
}

// numSplitUniform handles a number with one kind of separator. Only a single '.' or ',' can
// be read two ways; three digits after it are thousands ("1,250"), fewer are decimals ("1,5").
func numSplitUniform(groups []string, sep rune, scaled bool) (whole, frac string, err error) {
	if sep == numGroupSpace || len(groups) > 2 {
		if numGrouped(groups) {
			return strings.Join(groups, ""), "", nil
		}
		return "", "", ErrAmbiguous
	}
	a, b := groups[0], groups[1]
	switch {
	case len(b) <= 2 || (len(b) == 3 && a == "0"):
		return a, b, nil
	case len(b) == 3 && !scaled && numGrouped(groups):
		// With a multiplier "1,250 triệu" may be 1.25 million (decimal comma) or 1250 million.
		return a + b, "", nil
	}
	return "", "", ErrAmbiguous
}

// numValue computes (whole.frac) × mult, which must come out whole and within max. Parts are
// kept apart so that a decimal digit never overflows a whole part that fits.
func numValue(whole, frac string, mult, max int64) (int64, error) {
	w, ok := numDigits(whole)
	if ok {
		w, ok = numMul(w, mult)
	}
	f, _ := numDigits(frac) // at most 3 digits
	unit := int64(1)
	for range frac {
		unit *= 10
	}
	// mult is a power of ten, so either it absorbs the decimal digits or they shrink it.
	var rest int64
	if mult >= unit {
		var fits bool
		f, fits = numMul(f, mult/unit)
		ok = ok && fits
	} else {
		f, rest = f*mult/unit, f*mult%unit
	}
	ok = ok && w <= math.MaxInt64-f
	switch {
	case !ok || w+f > max:
		return 0, ErrTooLarge
	case rest != 0:
		return 0, ErrFraction
	}
	return w + f, nil
}

// numDigits parses ASCII digits; ok is false when they do not fit an int64.
func numDigits(s string) (n int64, ok bool) {
	for i := range len(s) {
		d := int64(s[i] - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

func numMul(a, b int64) (int64, bool) {
	if a != 0 && b > math.MaxInt64/a {
		return 0, false
	}
	return a * b, true
}

// numNone are the words that alone mean "none" ("không", "ko"), and numNoneTail the words that
// may follow them without changing that ("không có ai cả"). "không biết" is not a zero.
var (
	numNone     = map[string]bool{"khong": true, "ko": true}
	numNoneTail = map[string]bool{"co": true, "ai": true, "gi": true, "ca": true, "het": true, "a": true, "nao": true}
)

// numWordsOnly answers an input with no digits at all.
func numWordsOnly(rs []rune) (int64, error) {
	words := strings.FieldsFunc(string(rs), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) == 0 || !numNone[words[0]] {
		return 0, ErrNotNumber
	}
	for _, w := range words[1:] {
		if !numNoneTail[w] {
			return 0, ErrNotNumber
		}
	}
	return 0, nil
}
