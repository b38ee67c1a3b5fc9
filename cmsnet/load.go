package cmsnet

import (
	"cmp"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Format is a descriptor's encoding.
type Format int

// Formats.
const (
	// FormatAuto picks JSON when the first non-space byte is '{', else YAML.
	FormatAuto Format = iota
	FormatYAML
	FormatJSON
)

// Parse decodes a descriptor in YAML or JSON, checking syntax, field names,
// value types and limits; it does not run the semantic checks (Compile
// does). Errors are an ErrorList with paths, positions and excerpts.
func Parse(src []byte, format Format, cfg Config) (*Descriptor, error) {
	rc, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	d, errs := parse(src, format, rc.limits)
	if len(errs) > 0 {
		return nil, withExcerpts(errs, src, rc.limits.MaxErrors)
	}
	return d, nil
}

func parse(src []byte, format Format, lim Limits) (*Descriptor, ErrorList) {
	if len(src) > lim.MaxBytes {
		return nil, ErrorList{{Line: 1, Column: 1, Code: "too-large", Err: ErrTooLarge,
			Message: fmt.Sprintf("descriptor is %d bytes, at most %d allowed", len(src), lim.MaxBytes)}}
	}
	if e := checkEncoding(src); e != nil {
		return nil, ErrorList{e}
	}
	if format == FormatAuto {
		format = sniff(src)
	}
	tl := treeLimits{maxDepth: lim.MaxDepth, maxNodes: lim.MaxNodes}
	var root *node
	var perr *Error
	if format == FormatJSON {
		root, perr = parseJSON(src, tl)
	} else {
		root, perr = parseYAML(src, tl)
	}
	if perr != nil {
		return nil, ErrorList{perr}
	}
	dec := &decoder{pos: positions{}, limit: lim}
	d := dec.descriptor(root)
	return d, dec.errs
}

func sniff(src []byte) Format {
	for _, c := range src {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return FormatJSON
		}
		break
	}
	return FormatYAML
}

// Compile validates a descriptor against C1-C8, compiles it for
// evaluation and runs its tests; a descriptor whose tests fail does not
// compile. Errors are an ErrorList carrying every problem at once, with
// paths and, for parsed descriptors, positions.
func Compile(d *Descriptor, cfg Config) (*Policy, error) {
	rc, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	if errs := compile(d, rc); len(errs) > 0 {
		return nil, capErrors(errs, rc.limits.MaxErrors)
	}
	return compileAndTest(d, rc)
}

func compile(d *Descriptor, rc *resolved) ErrorList {
	v := &validator{d: d, cfg: rc}
	if d.Version != Version {
		v.errorf("version", "unsupported-version", ErrVersion, "version %d is not supported; this reader knows version %d", d.Version, Version)
	}
	v.run()
	return sortErrors(v.errs)
}

func compileAndTest(d *Descriptor, rc *resolved) (*Policy, error) {
	p := compilePolicy(d, rc)
	v := &validator{d: d, cfg: rc}
	now := rc.now()
	for i, t := range d.Tests {
		at := t.At
		if at.IsZero() {
			at = now
		}
		dec := p.DecideAt(t.Flow, at)
		res := TestResult{Test: t, Decision: dec, Passed: dec.Allowed == (t.Expect == ExpectAllow)}
		p.results = append(p.results, res)
		if !res.Passed {
			v.errorf(index("tests", i), "test-failed", ErrTestFailed, "test %q: %s expected %s, got %s", t.Name, t.Flow, t.Expect, dec)
		}
	}
	if len(v.errs) > 0 {
		return nil, v.errs
	}
	return p, nil
}

// Load parses and compiles a descriptor; errors carry caret excerpts of src.
func Load(src []byte, format Format, cfg Config) (*Policy, error) {
	rc, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	d, errs := parse(src, format, rc.limits)
	if d == nil {
		return nil, withExcerpts(errs, src, rc.limits.MaxErrors)
	}
	// Report semantic errors too, except under a path the decoder already
	// rejected (they would be echoes of it).
	errs = append(errs, notUnder(compile(d, rc), errs)...)
	if len(errs) > 0 {
		return nil, withExcerpts(errs, src, rc.limits.MaxErrors)
	}
	p, err := compileAndTest(d, rc)
	if err != nil {
		return nil, withExcerpts(err.(ErrorList), src, rc.limits.MaxErrors)
	}
	return p, nil
}

// notUnder drops errors that echo one in seen: those whose path is, is
// inside, or contains the path of an error in seen.
func notUnder(errs, seen ErrorList) ErrorList {
	bad, above := map[string]bool{}, map[string]bool{}
	for _, e := range seen {
		bad[e.Path] = true
		for p := parentPath(e.Path); p != ""; p = parentPath(p) {
			above[p] = true
		}
	}
	var out ErrorList
	for _, e := range errs {
		echo := above[e.Path]
		for p := e.Path; p != "" && !echo; p = parentPath(p) {
			echo = bad[p]
		}
		if !echo {
			out = append(out, e)
		}
	}
	return out
}

func withExcerpts(errs ErrorList, src []byte, max int) ErrorList {
	errs = capErrors(sortErrors(errs), max)
	x := newLineIndex(src)
	for _, e := range errs {
		e.Excerpt = x.excerpt(e)
	}
	return errs
}

// capErrors keeps the first max errors and sums up the rest.
func capErrors(errs ErrorList, max int) ErrorList {
	if len(errs) <= max {
		return errs
	}
	rest := len(errs) - max
	return append(errs[:max:max], &Error{Code: "too-many-errors", Err: ErrTooLarge,
		Message: fmt.Sprintf("%d more errors not shown (Limits.MaxErrors is %d)", rest, max)})
}

// sortErrors orders errors by position; errors without one go last.
func sortErrors(errs ErrorList) ErrorList {
	key := func(e *Error) int {
		if e.Line == 0 {
			return int(^uint(0) >> 1)
		}
		return e.Line
	}
	slices.SortStableFunc(errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.Column, b.Column))
	})
	return errs
}

// checkEncoding finds the first byte that is not valid UTF-8 or is a
// control character other than tab, line feed and carriage return. Both
// formats forbid them, but yaml.v3 reports them without a position and
// encoding/json silently turns invalid UTF-8 into U+FFFD.
func checkEncoding(src []byte) *Error {
	for off := 0; off < len(src); {
		r, n := utf8.DecodeRune(src[off:])
		var msg string
		switch {
		case r == utf8.RuneError && n == 1:
			msg = fmt.Sprintf("byte 0x%02x is not valid UTF-8", src[off])
		case (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f:
			msg = fmt.Sprintf("control character U+%04X is not allowed", r)
		}
		if msg != "" {
			line, col := newLineIndex(src).position(off)
			return &Error{Line: line, Column: col, Code: "encoding", Message: msg, Err: ErrSyntax, at: off + 1}
		}
		off += n
	}
	return nil
}
