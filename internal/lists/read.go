package lists

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
)

// FormatAuto picks the format from the file name (.jsonl, .json, .ndjson or .csv), or else
// from the content: JSONL when the first character other than a byte-order mark or white
// space is '{', CSV otherwise.
const FormatAuto = "auto"

// Read reads one database's list file for owner. format is FormatAuto, "jsonl" or "csv";
// name is used in errors and, with FormatAuto, to pick the format. On any bad line it returns
// no list and an error listing every problem, each as NAME:LINE: FIELD: MESSAGE.
func Read(r io.Reader, name string, db event.Database, format, owner string) (*jsonl.List, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var f jsonl.Format
	switch format {
	case FormatAuto, "":
		f = detect(name, br)
	case string(jsonl.FormatJSONL):
		f = jsonl.FormatJSONL
	case string(jsonl.FormatCSV):
		f = jsonl.FormatCSV
	default:
		return nil, fmt.Errorf("unknown format %q: want auto, jsonl or csv", format)
	}
	return jsonl.Read(br, name, db, jsonl.Options{Format: f, Owner: owner})
}

func detect(name string, br *bufio.Reader) jsonl.Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".json", ".ndjson":
		return jsonl.FormatJSONL
	case ".csv":
		return jsonl.FormatCSV
	}
	head, _ := br.Peek(4096) // a short or failing read shows in Read itself
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		return jsonl.FormatJSONL
	}
	return jsonl.FormatCSV
}
