package cmsnet

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sentinels. Every *Error unwraps to one of them, so callers branch with
// errors.Is; their text is stable.
var (
	// ErrSyntax reports a descriptor that is not well-formed YAML or JSON.
	ErrSyntax = errors.New("cmsnet: syntax error")
	// ErrTooLarge reports input over a configured size, depth or count limit.
	ErrTooLarge = errors.New("cmsnet: input over limit")
	// ErrUnknownField reports a field the format does not define.
	ErrUnknownField = errors.New("cmsnet: unknown field")
	// ErrType reports a value of the wrong kind or form.
	ErrType = errors.New("cmsnet: invalid value")
	// ErrMissing reports a required field that is absent.
	ErrMissing = errors.New("cmsnet: missing field")
	// ErrVersion reports an unsupported descriptor version.
	ErrVersion = errors.New("cmsnet: unsupported version")
	// ErrDuplicate reports an identifier declared twice.
	ErrDuplicate = errors.New("cmsnet: duplicate")
	// ErrUnknownReference reports a reference to an undeclared entity,
	// group, extranet or service.
	ErrUnknownReference = errors.New("cmsnet: unknown reference")
	// ErrAddressSpace reports an address outside its environment's space
	// (C3-C6, C8).
	ErrAddressSpace = errors.New("cmsnet: address outside its environment's space")
	// ErrOverlap reports rules that overlap.
	ErrOverlap = errors.New("cmsnet: overlapping rules")
	// ErrContradiction reports settings that contradict each other.
	ErrContradiction = errors.New("cmsnet: contradicting rules")
	// ErrSourceRequired reports a publication that must restrict its
	// sources and does not (C5 for TESTA-ng).
	ErrSourceRequired = errors.New("cmsnet: source restriction required")
	// ErrUngranted reports an approved CMS service reachable without an
	// approved grant (C4).
	ErrUngranted = errors.New("cmsnet: approved service reachable without an approved grant")
	// ErrGrantServices reports a grant naming more than one service (C7).
	ErrGrantServices = errors.New("cmsnet: grant must name exactly one service")
	// ErrGrant reports a grant that breaks CMS2-03 otherwise: sources outside
	// the entity's network, approval not by the owner, wrong environment.
	ErrGrant = errors.New("cmsnet: invalid grant")
	// ErrCriticalIPsec reports a critical service reachable over an
	// Internet IPsec connection (C1).
	ErrCriticalIPsec = errors.New("cmsnet: critical service reachable over Internet IPsec")
	// ErrConnection reports an agency system connected other than by a
	// regional, metropolitan or KIVS line (C1).
	ErrConnection = errors.New("cmsnet: connection type not admissible")
	// ErrTestFailed reports a descriptor test whose flow got the other verdict.
	ErrTestFailed = errors.New("cmsnet: descriptor test failed")
	// ErrConfig reports an invalid configuration.
	ErrConfig = errors.New("cmsnet: invalid configuration")
)

// Error is one problem found in a descriptor: where (Path, Line, Column),
// what (Code, stable for tooling, and Message) and the sentinel (Err).
// Line and Column are 1-based and zero when unknown (a descriptor built in
// Go). Excerpt holds the source line and a caret under Column when the
// source was available.
type Error struct {
	Path    string
	Line    int
	Column  int
	Code    string
	Message string
	Excerpt string
	Err     error

	at int // byte offset + 1 in the source; 0 when unknown
}

// Error returns "path (line:column): message [code]".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("cmsnet: ")
	if e.Path != "" {
		b.WriteString(e.Path)
	} else {
		b.WriteString("(document)")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (%d:%d)", e.Line, e.Column)
	}
	fmt.Fprintf(&b, ": %s [%s]", e.Message, e.Code)
	return b.String()
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// Pretty renders the error like a compiler: "file:line:col: path: message
// [code]" followed by the caret excerpt.
func (e *Error) Pretty(file string) string {
	var b strings.Builder
	b.WriteString(file)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	path := e.Path
	if path == "" {
		path = "(document)"
	}
	fmt.Fprintf(&b, ": %s: %s [%s]\n", path, e.Message, e.Code)
	b.WriteString(e.Excerpt)
	return b.String()
}

// ErrorList is every problem found in a descriptor, in source order. It
// unwraps to each *Error, so errors.Is and errors.As see all of them.
type ErrorList []*Error

// Error joins the errors, one a line.
func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns each error.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Pretty renders every error with Error.Pretty.
func (l ErrorList) Pretty(file string) string {
	var b strings.Builder
	for _, e := range l {
		b.WriteString(e.Pretty(file))
	}
	return b.String()
}

// lineIndex maps byte offsets and line numbers of one source.
type lineIndex struct {
	src    []byte
	starts []int // byte offset of each line's first byte
	// The last position computed, so increasing offsets on one long line
	// (minified JSON) cost linear, not quadratic, time.
	lastLine, lastOff, lastCol int
}

func newLineIndex(src []byte) *lineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{src: src, starts: starts}
}

// position converts a byte offset to a 1-based line and column; columns
// count characters, as yaml.v3's do.
func (x *lineIndex) position(off int) (line, col int) {
	off = min(max(off, 0), len(x.src))
	lo, hi := 0, len(x.starts)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if x.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	from, col := x.starts[lo], 1
	if x.lastLine == lo+1 && x.lastOff <= off {
		from, col = x.lastOff, x.lastCol
	}
	col += utf8.RuneCount(x.src[from:off])
	x.lastLine, x.lastOff, x.lastCol = lo+1, off, col
	return lo + 1, col
}

// excerpt returns up to maxExcerpt bytes of the error's source line around
// its column, and a caret under the column.
func (x *lineIndex) excerpt(e *Error) string {
	if e.Line <= 0 || e.Line > len(x.starts) {
		return ""
	}
	start := x.starts[e.Line-1]
	end := len(x.src)
	if e.Line < len(x.starts) {
		end = x.starts[e.Line] - 1
	}
	off := e.at - 1
	if off < start || off > end {
		off = start // walk the columns: YAML lines are short
		for c := 1; c < e.Column && off < end && off-start < maxExcerpt; c++ {
			_, n := utf8.DecodeRune(x.src[off:end])
			off += n
		}
	}
	from, to := max(start, off-maxExcerpt/2), min(end, off+maxExcerpt/2)
	for from > start && !utf8.RuneStart(x.src[from]) {
		from--
	}
	for to < end && !utf8.RuneStart(x.src[to]) {
		to++
	}
	text := strings.ReplaceAll(strings.TrimRight(string(x.src[from:to]), "\r"), "\t", " ")
	pad := utf8.RuneCount(x.src[from:off])
	if from > start {
		text, pad = "..."+text, pad+3
	}
	return fmt.Sprintf("  %s\n  %s^\n", text, strings.Repeat(" ", pad))
}

// maxExcerpt caps the bytes of a source line shown in an excerpt.
const maxExcerpt = 200
