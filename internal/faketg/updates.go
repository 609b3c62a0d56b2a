package faketg

import (
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// User is the sender of fake updates in chat id: a private chat, so user id = chat id.
func User(id int64) *tgbotapi.User {
	return &tgbotapi.User{ID: id, FirstName: "Lò Thị", LastName: "Mai", UserName: "mai" + strconv.FormatInt(id, 10)}
}

func message(chatID int64) *tgbotapi.Message {
	return &tgbotapi.Message{
		MessageID: int(chatID%1000) + 1,
		From:      User(chatID),
		Chat:      &tgbotapi.Chat{ID: chatID, Type: "private"},
		Date:      int(time.Now().Unix()),
	}
}

// Text is a text message (a command when it starts with "/") from person chatID.
func Text(chatID int64, text string) tgbotapi.Update {
	m := message(chatID)
	m.Text = text
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(cmd)}}
	}
	return tgbotapi.Update{Message: m}
}

// Callback is a press of the button with data under message messageID in chat chatID.
func Callback(chatID int64, messageID int, data string) tgbotapi.Update {
	m := message(chatID)
	m.MessageID = messageID
	m.Text = "(the message with the button)"
	m.From = &tgbotapi.User{ID: 1, IsBot: true, FirstName: "Dân vận", UserName: BotName}
	return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		ID:      "cb-" + strconv.FormatInt(chatID, 10) + "-" + strconv.Itoa(messageID) + "-" + data,
		From:    User(chatID),
		Message: m,
		Data:    data,
	}}
}

// Photo is a photo with a caption from person chatID.
func Photo(chatID int64, caption string) tgbotapi.Update {
	m := message(chatID)
	m.Photo = []tgbotapi.PhotoSize{{FileID: "photo-1", FileUniqueID: "u1", Width: 90, Height: 90}}
	m.Caption = caption
	return tgbotapi.Update{Message: m}
}

// Document is a file sent as a document by person chatID: the file AddFile stored as fileID,
// named name, of size bytes as Telegram announces it.
func Document(chatID int64, fileID, name string, size int) tgbotapi.Update {
	m := message(chatID)
	m.Document = &tgbotapi.Document{FileID: fileID, FileUniqueID: "u-" + fileID, FileName: name, FileSize: size,
		MimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	return tgbotapi.Update{Message: m}
}
