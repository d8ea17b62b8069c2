package main

import (
	"io"
	"os"
)

// style decorates output for a terminal: color and symbols. Plain style,
// for pipes, files, TERM=dumb and NO_COLOR (https://no-color.org), writes
// the same lines in ASCII without escape sequences, so that scripts and
// logs read them as they are.
type style struct{ fancy bool }

func newStyle(w io.Writer, getenv func(string) string) style {
	return style{fancy: isTerminal(w) && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"}
}

// isTerminal reports whether w is a character device, such as a terminal;
// a pipe or a file is not. (/dev/null is one too, but nobody reads the
// colors there.)
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// wrap returns text, escaped, in the style code asks for.
func (s style) wrap(code, text string) safeText {
	text = escapeText(text, escapeMode{})
	if !s.fancy {
		return safeText(text)
	}
	return safeText("\x1b[" + code + "m" + text + "\x1b[0m")
}

// ok marks a step that succeeded; fail, one that did not.
func (s style) ok() safeText {
	if s.fancy {
		return s.wrap("32", "✓")
	}
	return "ok"
}

func (s style) fail() safeText {
	if s.fancy {
		return s.wrap("31", "✗")
	}
	return "FAIL"
}

func (s style) bold(text string) safeText { return s.wrap("1", text) }
func (s style) dim(text string) safeText  { return s.wrap("2", text) }
