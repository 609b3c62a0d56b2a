package faketg

import (
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// filesDir is where getFile says the files are, as Telegram's "documents/file_3.xlsx".
const filesDir = "documents/"

// AddFile stores data as the file with fileID, as if a person had sent it: getFile describes
// it and /file/bot<token>/documents/<fileID> serves it.
func (f *Server) AddFile(fileID string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = map[string][]byte{}
	}
	f.files[fileID] = data
}

// Downloads is how many files were downloaded.
func (f *Server) Downloads() int { return len(f.Requests("download")) }

// getFile describes a file AddFile stored; an unknown one gets a file without a path, which
// the transport refuses (Telegram answers 400 there; FailNext can make that happen too).
func (f *Server) getFile(req Request) tgbotapi.File {
	id := req.Params["file_id"]
	f.mu.Lock()
	data, ok := f.files[id]
	f.mu.Unlock()
	if !ok {
		return tgbotapi.File{FileID: id}
	}
	return tgbotapi.File{FileID: id, FileUniqueID: "u-" + id, FileSize: len(data), FilePath: filesDir + id}
}

// serveFile answers a download, recorded as the method "download".
func (f *Server) serveFile(w http.ResponseWriter, path string) {
	id, _ := strings.CutPrefix(path, filesDir)
	f.mu.Lock()
	data, ok := f.files[id]
	f.requests = append(f.requests, Request{Method: "download", Params: map[string]string{"path": path}, At: time.Now(), Failed: !ok})
	f.notifyLocked()
	f.mu.Unlock()
	if !ok {
		http.Error(w, "404 file not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data)
}
