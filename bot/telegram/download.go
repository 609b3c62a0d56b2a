package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot"
)

// upload is the document d that chat sent, fetched only if the dispatcher asks.
func (t *Transport) upload(chat, name string, d *tgbotapi.Document) *bot.Upload {
	id := d.FileID
	return &bot.Upload{Name: name, Size: int64(d.FileSize), Fetch: func(ctx context.Context, limit int64) ([]byte, error) {
		return t.download(ctx, chat, id, limit)
	}}
}

// download fetches a file a person sent: getFile names its path, and the file comes from
// <api>/file/bot<token>/<path> (which the library would build on api.telegram.org whatever
// the endpoint, so the transport builds it on its own). A file larger than limit is refused
// with bot.ErrTooBig, before or while it downloads.
func (t *Transport) download(ctx context.Context, chat, fileID string, limit int64) ([]byte, error) {
	resp, err := t.retry(ctx, chat, true, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(tgbotapi.FileConfig{FileID: fileID})
	})
	if err != nil {
		return nil, fmt.Errorf("telegram getFile: %w", err)
	}
	var f tgbotapi.File
	if err := json.Unmarshal(resp.Result, &f); err != nil || f.FilePath == "" {
		return nil, fmt.Errorf("telegram getFile: no file path in %s", resp.Result)
	}
	if int64(f.FileSize) > limit {
		return nil, fmt.Errorf("telegram file of %d bytes: %w", f.FileSize, bot.ErrTooBig)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.apiURL+"/file/bot"+t.token+"/"+f.FilePath, nil)
	if err != nil {
		return nil, t.redact(err)
	}
	res, err := t.httpClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram file download: %w", t.redact(err))
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram file download: %s", res.Status)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("telegram file download: %w", t.redact(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("telegram file over %d bytes: %w", limit, bot.ErrTooBig)
	}
	return data, nil
}
