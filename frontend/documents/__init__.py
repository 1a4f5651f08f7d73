"""Files made for people to read or print: the partner summary (one model, :mod:`.summary`, rendered as
DOCX, PDF, HTML, XLSX and CSV by :mod:`.summary_files`), charts, posters and cards, QR codes. Imports only core."""
