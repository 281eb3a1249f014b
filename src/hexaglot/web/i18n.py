"""Interface strings in the six official languages (Arabic is written right-to-left)."""

from __future__ import annotations

from hexaglot.domain.languages import OFFICIAL_LANGUAGES

RTL = {"ar"}

_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "year": "Year", "kind": "Kind", "lang": "Audio language", "affiliation": "Speaker's country or organization", "relevance": "relevance", "by_date": "date",
        "archive": "Hexaglot archive", "recent": "Recent assets", "preview_language": "Preview Language",
        "available_languages": "Available Languages", "other_formats": "Other Formats",
        "description": "Description", "personal": "Personal Subjects", "corporate": "Corporate Subjects",
        "geographic": "Geographic Subjects", "topical": "Topical Subjects", "parent_id": "Parent ID",
        "asset_id": "Asset ID", "meeting": "Meeting", "body": "Body", "number": "Meeting number",
        "record_symbol": "Record symbol", "began": "Began", "ended": "Ended", "speakers": "Speakers",
        "children": "Statement clips", "source": "Source", "none": "None", "not_found": "Not found",
        "no_asset": "There is no asset with this id.", "search": "Search", "previous": "Previous",
        "next": "Next", "download": "Download", "language": "Language",
    },
    "fr": {
        "year": "Année", "kind": "Type", "lang": "Langue audio", "affiliation": "Pays ou organisation de l'orateur", "relevance": "pertinence", "by_date": "date",
        "archive": "Archives Hexaglot", "recent": "Documents récents", "preview_language": "Langue de prévisualisation",
        "available_languages": "Langues disponibles", "other_formats": "Autres formats",
        "description": "Description", "personal": "Sujets (personnes)", "corporate": "Sujets (collectivités)",
        "geographic": "Sujets géographiques", "topical": "Sujets thématiques", "parent_id": "ID parent",
        "asset_id": "ID du document", "meeting": "Séance", "body": "Organe", "number": "Numéro de séance",
        "record_symbol": "Cote du procès-verbal", "began": "Ouverture", "ended": "Levée", "speakers": "Orateurs",
        "children": "Extraits des déclarations", "source": "Source", "none": "Aucun", "not_found": "Introuvable",
        "no_asset": "Aucun document ne porte cet identifiant.", "search": "Rechercher", "previous": "Précédent",
        "next": "Suivant", "download": "Télécharger", "language": "Langue",
    },
    "es": {
        "year": "Año", "kind": "Tipo", "lang": "Idioma del audio", "affiliation": "País u organización del orador", "relevance": "relevancia", "by_date": "fecha",
        "archive": "Archivo Hexaglot", "recent": "Recursos recientes", "preview_language": "Idioma de vista previa",
        "available_languages": "Idiomas disponibles", "other_formats": "Otros formatos",
        "description": "Descripción", "personal": "Materias (personas)", "corporate": "Materias (entidades)",
        "geographic": "Materias geográficas", "topical": "Materias temáticas", "parent_id": "ID principal",
        "asset_id": "ID del recurso", "meeting": "Sesión", "body": "Órgano", "number": "Número de sesión",
        "record_symbol": "Signatura del acta", "began": "Inicio", "ended": "Fin", "speakers": "Oradores",
        "children": "Fragmentos de declaraciones", "source": "Fuente", "none": "Ninguno", "not_found": "No encontrado",
        "no_asset": "No hay ningún recurso con este identificador.", "search": "Buscar", "previous": "Anterior",
        "next": "Siguiente", "download": "Descargar", "language": "Idioma",
    },
    "ru": {
        "year": "Год", "kind": "Тип", "lang": "Язык аудио", "affiliation": "Страна или организация выступающего", "relevance": "релевантность", "by_date": "дата",
        "archive": "Архив Hexaglot", "recent": "Новые материалы", "preview_language": "Язык предпросмотра",
        "available_languages": "Доступные языки", "other_formats": "Другие форматы",
        "description": "Описание", "personal": "Персоналии", "corporate": "Организации",
        "geographic": "Географические рубрики", "topical": "Тематические рубрики", "parent_id": "Родительский ID",
        "asset_id": "ID материала", "meeting": "Заседание", "body": "Орган", "number": "Номер заседания",
        "record_symbol": "Условное обозначение отчета", "began": "Начало", "ended": "Окончание", "speakers": "Выступающие",
        "children": "Фрагменты выступлений", "source": "Источник", "none": "Нет", "not_found": "Не найдено",
        "no_asset": "Материала с таким идентификатором нет.", "search": "Поиск", "previous": "Назад",
        "next": "Далее", "download": "Скачать", "language": "Язык",
    },
    "zh": {
        "year": "年份", "kind": "类型", "lang": "音频语言", "affiliation": "发言者所属国家或组织", "relevance": "相关性", "by_date": "日期",
        "archive": "Hexaglot 档案馆", "recent": "最新资料", "preview_language": "预览语言",
        "available_languages": "可用语言", "other_formats": "其他格式",
        "description": "说明", "personal": "人物主题", "corporate": "机构主题",
        "geographic": "地理主题", "topical": "专题主题", "parent_id": "上级 ID",
        "asset_id": "资料 ID", "meeting": "会议", "body": "机关", "number": "会议编号",
        "record_symbol": "记录文号", "began": "开始", "ended": "结束", "speakers": "发言者",
        "children": "发言片段", "source": "来源", "none": "无", "not_found": "未找到",
        "no_asset": "没有此编号的资料。", "search": "搜索", "previous": "上一页",
        "next": "下一页", "download": "下载", "language": "语言",
    },
    "ar": {
        "year": "السنة", "kind": "النوع", "lang": "لغة الصوت", "affiliation": "بلد المتكلم أو منظمته", "relevance": "الصلة", "by_date": "التاريخ",
        "archive": "أرشيف هكساغلوت", "recent": "أحدث المواد", "preview_language": "لغة المعاينة",
        "available_languages": "اللغات المتاحة", "other_formats": "صيغ أخرى",
        "description": "الوصف", "personal": "مواضيع شخصية", "corporate": "مواضيع مؤسسية",
        "geographic": "مواضيع جغرافية", "topical": "مواضيع عامة", "parent_id": "المعرّف الأصلي",
        "asset_id": "معرّف المادة", "meeting": "الجلسة", "body": "الهيئة", "number": "رقم الجلسة",
        "record_symbol": "رمز المحضر", "began": "البداية", "ended": "النهاية", "speakers": "المتكلمون",
        "children": "مقاطع البيانات", "source": "المصدر", "none": "لا يوجد", "not_found": "غير موجود",
        "no_asset": "لا توجد مادة بهذا المعرّف.", "search": "بحث", "previous": "السابق",
        "next": "التالي", "download": "تنزيل", "language": "اللغة",
    },
}

#: The staff view of an asset: its preservation state and log.
_PRESERVATION: dict[str, dict[str, str]] = {
    "en": {"preservation": "Preservation", "master_damaged": "The master fails its fixity "
           "check: it is kept as it is and must be restored from a copy.",
           "files_audited": "Files checked by the audit", "last_checked": "last re-read",
           "failing": "Failing", "event_log": "Preservation log", "event": "Event",
           "date": "Date", "outcome": "Outcome", "agent": "Agent", "detail": "Detail"},
    "fr": {"preservation": "Conservation", "master_damaged": "Le fichier maître échoue au "
           "contrôle d'intégrité : il est conservé tel quel et doit être restauré depuis une "
           "copie.", "files_audited": "Fichiers contrôlés par l'audit",
           "last_checked": "dernière relecture", "failing": "En échec",
           "event_log": "Journal de conservation", "event": "Événement", "date": "Date",
           "outcome": "Résultat", "agent": "Agent", "detail": "Détail"},
    "es": {"preservation": "Preservación", "master_damaged": "El archivo maestro no supera "
           "el control de integridad: se conserva tal cual y debe restaurarse desde una copia.",
           "files_audited": "Archivos comprobados por la auditoría",
           "last_checked": "última relectura", "failing": "Con fallos",
           "event_log": "Registro de preservación", "event": "Evento", "date": "Fecha",
           "outcome": "Resultado", "agent": "Agente", "detail": "Detalle"},
    "ru": {"preservation": "Сохранность", "master_damaged": "Мастер-файл не прошел проверку "
           "целостности: он сохранен без изменений и должен быть восстановлен из копии.",
           "files_audited": "Файлы, проверенные аудитом", "last_checked": "последняя проверка",
           "failing": "С ошибками", "event_log": "Журнал сохранности", "event": "Событие",
           "date": "Дата", "outcome": "Результат", "agent": "Исполнитель", "detail": "Подробности"},
    "zh": {"preservation": "保存", "master_damaged": "母版文件未通过完整性校验：已按原样保留，"
           "须从副本恢复。", "files_audited": "审核检查的文件", "last_checked": "最近重读",
           "failing": "校验失败", "event_log": "保存日志", "event": "事件", "date": "日期",
           "outcome": "结果", "agent": "执行者", "detail": "详情"},
    "ar": {"preservation": "الحفظ", "master_damaged": "الملف الرئيسي لم يجتز فحص السلامة: "
           "احتُفظ به كما هو ويجب استعادته من نسخة.", "files_audited": "الملفات التي فحصها التدقيق",
           "last_checked": "آخر إعادة قراءة", "failing": "فاشلة", "event_log": "سجل الحفظ",
           "event": "الحدث", "date": "التاريخ", "outcome": "النتيجة", "agent": "المنفّذ",
           "detail": "التفاصيل"},
}
for _lang, _words in _PRESERVATION.items():
    _STRINGS[_lang].update(_words)

_ACCOUNT: dict[str, dict[str, str]] = {
    "en": {"sign_in": "Sign in", "sign_out": "Sign out", "email": "Email",
           "password": "Password", "wrong_sign_in": "The email or the password is wrong.",
           "draft": "Draft", "draft_note": "A draft: only cataloguers see it once the archive "
           "has accounts."},
    "fr": {"sign_in": "Se connecter", "sign_out": "Se déconnecter", "email": "Courriel",
           "password": "Mot de passe", "wrong_sign_in": "Le courriel ou le mot de passe est "
           "erroné.", "draft": "Brouillon", "draft_note": "Un brouillon : seuls les "
           "catalogueurs le voient dès que l'archive a des comptes."},
    "es": {"sign_in": "Iniciar sesión", "sign_out": "Cerrar sesión", "email": "Correo",
           "password": "Contraseña", "wrong_sign_in": "El correo o la contraseña no son "
           "correctos.", "draft": "Borrador", "draft_note": "Un borrador: solo lo ven los "
           "catalogadores en cuanto el archivo tiene cuentas."},
    "ru": {"sign_in": "Войти", "sign_out": "Выйти", "email": "Эл. почта", "password": "Пароль",
           "wrong_sign_in": "Неверный адрес или пароль.", "draft": "Черновик",
           "draft_note": "Черновик: когда в архиве есть учетные записи, его видят только "
           "каталогизаторы."},
    "zh": {"sign_in": "登录", "sign_out": "退出", "email": "电子邮件", "password": "密码",
           "wrong_sign_in": "电子邮件或密码错误。", "draft": "草稿",
           "draft_note": "草稿：档案馆有账户后，只有编目员能看到。"},
    "ar": {"sign_in": "تسجيل الدخول", "sign_out": "تسجيل الخروج", "email": "البريد الإلكتروني",
           "password": "كلمة المرور", "wrong_sign_in": "البريد الإلكتروني أو كلمة المرور غير صحيحة.",
           "draft": "مسودة", "draft_note": "مسودة: لا يراها إلا المفهرسون متى كانت للأرشيف حسابات."},
}
for _lang, _words in _ACCOUNT.items():
    _STRINGS[_lang].update(_words)

assert set(_STRINGS) == set(OFFICIAL_LANGUAGES)


def interface_language(requested: str | None, accept_language: str | None) -> str:
    """Pick the interface language: `?hl=` first, then the browser's Accept-Language, else en."""
    if requested and requested in _STRINGS:
        return requested
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in _STRINGS:
            return code
    return "en"


def strings(lang: str) -> dict[str, str]:
    """The interface strings of a language."""
    return _STRINGS.get(lang, _STRINGS["en"])


def direction(lang: str) -> str:
    """`rtl` for Arabic, else `ltr`."""
    return "rtl" if lang in RTL else "ltr"
