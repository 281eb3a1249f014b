"""The workspace's interface strings in the six languages, and its form errors.

TEMPORARY table until the gettext catalogues (issue 13) are merged; then these
messages move into `web/locale/<lang>/LC_MESSAGES/hexaglot.po`."""

from __future__ import annotations

from fastapi import Request

from hexaglot.web.i18n import interface_language

_TABLE: dict[str, tuple[str, str, str, str, str]] = {
    'Accept': ('Accepter', 'Aceptar', 'Принять', '接受', 'قبول'),
    'Access': ('Accès', 'Acceso', 'Доступ', '访问权限', 'الوصول'),
    'Action': ('Action', 'Acción', 'Действие', '操作', 'الإجراء'),
    'Add a subject (KIND:LABEL)': ('Ajouter un sujet (TYPE:LIBELLÉ)', 'Añadir una materia (TIPO:ETIQUETA)', 'Добавить рубрику (ВИД:НАЗВАНИЕ)', '添加主题（类别:标签）', 'إضافة موضوع (النوع:التسمية)'),
    'Add a subject (type in any of the six languages)': ("Ajouter un sujet (dans l'une des six langues)", 'Añadir una materia (en cualquiera de los seis idiomas)', 'Добавить рубрику (на любом из шести языков)', '添加主题（六种语文均可输入）', 'إضافة موضوع (بأي من اللغات الست)'),
    'Another subject': ('Un autre sujet', 'Otra materia', 'Еще одна рубрика', '另一个主题', 'موضوع آخر'),
    'Apply': ('Appliquer', 'Aplicar', 'Применить', '应用', 'تطبيق'),
    'Asset ID': ('ID du document', 'ID del recurso', 'ID материала', '资料 ID', 'معرّف المادة'),
    'Asset': ('Document', 'Recurso', 'Материал', '资料', 'المادة'),
    'Attach to asset (empty: a new draft)': ('Rattacher au document (vide : nouveau brouillon)', 'Asociar al recurso (vacío: un borrador nuevo)', 'Привязать к материалу (пусто: новый черновик)', '关联到资料（留空：新建草稿）', 'إلحاق بالمادة (فارغ: مسودة جديدة)'),
    'Available languages': ('Langues disponibles', 'Idiomas disponibles', 'Доступные языки', '可用语言', 'اللغات المتاحة'),
    'Back to the record': ('Retour à la notice', 'Volver al registro', 'Назад к записи', '返回记录', 'العودة إلى السجل'),
    'Began (HH:MM)': ('Ouverture (HH:MM)', 'Inicio (HH:MM)', 'Начало (ЧЧ:ММ)', '开始（时:分）', 'البداية (س:د)'),
    'Change the bounds': ('Modifier les bornes', 'Cambiar los límites', 'Изменить границы', '修改起止点', 'تغيير الحدود'),
    'Date (YYYY-MM-DD)': ('Date (AAAA-MM-JJ)', 'Fecha (AAAA-MM-DD)', 'Дата (ГГГГ-ММ-ДД)', '日期（年-月-日）', 'التاريخ (سنة-شهر-يوم)'),
    'Description': ('Description', 'Descripción', 'Описание', '说明', 'الوصف'),
    'Draft speakers and subjects': ('Proposer orateurs et sujets', 'Proponer oradores y materias', 'Предложить выступающих и рубрики', '草拟发言者和主题', 'اقتراح المتكلمين والمواضيع'),
    'Duration (HH:MM:SS)': ('Durée (HH:MM:SS)', 'Duración (HH:MM:SS)', 'Продолжительность (ЧЧ:ММ:СС)', '时长（时:分:秒）', 'المدة (س:د:ث)'),
    'Embargo until (YYYY-MM-DD)': ("Sous embargo jusqu'au (AAAA-MM-JJ)", 'Embargo hasta (AAAA-MM-DD)', 'Эмбарго до (ГГГГ-ММ-ДД)', '禁发至（年-月-日）', 'حظر النشر حتى (سنة-شهر-يوم)'),
    'Embargo': ('Embargo', 'Embargo', 'Эмбарго', '禁发', 'حظر النشر'),
    'Ended (HH:MM)': ('Levée (HH:MM)', 'Fin (HH:MM)', 'Окончание (ЧЧ:ММ)', '结束（时:分）', 'النهاية (س:د)'),
    'Evidence': ('Indice', 'Evidencia', 'Основание', '依据', 'الدليل'),
    'History': ('Historique', 'Historial', 'История', '历史', 'السجل التاريخي'),
    'In (seconds)': ('Début (secondes)', 'Entrada (segundos)', 'Начало (секунды)', '入点（秒）', 'البداية (بالثواني)'),
    'Job': ('Tâche', 'Tarea', 'Задание', '任务', 'المهمة'),
    'Jobs': ('Tâches', 'Tareas', 'Задания', '任务', 'المهام'),
    'Keys: I marks in, O marks out, comma and period step one frame.': ("Touches : I marque le début, O la fin, virgule et point avancent d'une image.", 'Teclas: I marca la entrada, O la salida, coma y punto avanzan un fotograma.', 'Клавиши: I отмечает начало, O конец, запятая и точка сдвигают на кадр.', '按键：I 标记入点，O 标记出点，逗号和句号逐帧移动。', 'المفاتيح: I لتحديد البداية، O للنهاية، الفاصلة والنقطة للتنقل إطارًا واحدًا.'),
    'Mark in': ('Marquer le début', 'Marcar entrada', 'Отметить начало', '标记入点', 'تحديد البداية'),
    'Mark out': ('Marquer la fin', 'Marcar salida', 'Отметить конец', '标记出点', 'تحديد النهاية'),
    'Meeting body': ('Organe de la séance', 'Órgano de la sesión', 'Орган заседания', '会议机关', 'هيئة الجلسة'),
    'Meeting number': ('Numéro de séance', 'Número de sesión', 'Номер заседания', '会议编号', 'رقم الجلسة'),
    'Name': ('Nom', 'Nombre', 'Имя', '姓名', 'الاسم'),
    'Order': ('Ordre', 'Orden', 'Порядок', '顺序', 'الترتيب'),
    'Out (seconds)': ('Fin (secondes)', 'Salida (segundos)', 'Конец (секунды)', '出点（秒）', 'النهاية (بالثواني)'),
    'Parent asset ID': ('ID du document parent', 'ID del recurso principal', 'ID родительского материала', '上级资料 ID', 'معرّف المادة الأصلية'),
    'Pause': ('Pause', 'Pausa', 'Пауза', '暂停', 'إيقاف مؤقت'),
    'Press summary (paste it here)': ('Communiqué de presse (collez-le ici)', 'Comunicado de prensa (péguelo aquí)', 'Пресс-релиз (вставьте сюда)', '新闻稿（粘贴于此）', 'البيان الصحفي (ألصقه هنا)'),
    'Preview language': ('Langue de prévisualisation', 'Idioma de vista previa', 'Язык предпросмотра', '预览语言', 'لغة المعاينة'),
    'Progress': ('Avancement', 'Progreso', 'Ход выполнения', '进度', 'التقدم'),
    'Public page': ('Page publique', 'Página pública', 'Публичная страница', '公开页面', 'الصفحة العامة'),
    'Publication': ('Publication', 'Publicación', 'Публикация', '发布状态', 'النشر'),
    'Publish': ('Publier', 'Publicar', 'Опубликовать', '发布', 'نشر'),
    'Reason': ('Motif', 'Motivo', 'Причина', '原因', 'السبب'),
    'Recent assets': ('Documents récents', 'Recursos recientes', 'Новые материалы', '最新资料', 'أحدث المواد'),
    'Record symbol': ('Cote du procès-verbal', 'Signatura del acta', 'Условное обозначение отчета', '记录文号', 'رمز المحضر'),
    'Recording': ('Enregistrement', 'Grabación', 'Запись', '录音录像', 'التسجيل'),
    'Reject': ('Rejeter', 'Rechazar', 'Отклонить', '拒绝', 'رفض'),
    'Retry': ('Relancer', 'Reintentar', 'Повторить', '重试', 'إعادة المحاولة'),
    'Review the drafts': ('Revoir les propositions', 'Revisar las propuestas', 'Проверить предложения', '审核草稿', 'مراجعة المقترحات'),
    'Role': ('Fonction', 'Cargo', 'Должность', '职务', 'الصفة'),
    'Save the clip': ("Enregistrer l'extrait", 'Guardar el fragmento', 'Сохранить фрагмент', '保存片段', 'حفظ المقطع'),
    'Save the reviewed drafts': ('Enregistrer les propositions revues', 'Guardar las propuestas revisadas', 'Сохранить проверенные предложения', '保存已审核的草稿', 'حفظ المقترحات بعد المراجعة'),
    'Save': ('Enregistrer', 'Guardar', 'Сохранить', '保存', 'حفظ'),
    'Saved.': ('Enregistré.', 'Guardado.', 'Сохранено.', '已保存。', 'تم الحفظ.'),
    'Select': ('Sélectionner', 'Seleccionar', 'Выбрать', '选择', 'تحديد'),
    'Set access (public, registered, staff)': ("Définir l'accès (public, registered, staff)", 'Fijar el acceso (public, registered, staff)', 'Задать доступ (public, registered, staff)', '设置访问权限（public、registered、staff）', 'تحديد الوصول (public أو registered أو staff)'),
    'Source': ('Source', 'Fuente', 'Источник', '来源', 'المصدر'),
    'Speaker': ('Orateur', 'Orador', 'Выступающий', '发言者', 'المتكلم'),
    'State': ('État', 'Estado', 'Состояние', '状态', 'الحالة'),
    'Statement clips': ('Extraits des déclarations', 'Fragmentos de declaraciones', 'Фрагменты выступлений', '发言片段', 'مقاطع البيانات'),
    'Step': ('Étape', 'Paso', 'Этап', '步骤', 'المرحلة'),
    'Subjects': ('Sujets', 'Materias', 'Рубрики', '主题', 'المواضيع'),
    'Summary': ('Résumé', 'Resumen', 'Краткое содержание', '摘要', 'الملخص'),
    'Text': ('Texte', 'Texto', 'Текст', '文本', 'النص'),
    'The record was not saved: correct the fields marked below.': ("La notice n'a pas été enregistrée : corrigez les champs signalés ci-dessous.", 'El registro no se guardó: corrija los campos señalados abajo.', 'Запись не сохранена: исправьте отмеченные ниже поля.', '记录未保存：请更正下面标出的字段。', 'لم يُحفظ السجل: صحّح الحقول المشار إليها أدناه.'),
    'The text could not be read:': ("Le texte n'a pas pu être lu :", 'No se pudo leer el texto:', 'Не удалось прочитать текст:', '无法读取文本：', 'تعذرت قراءة النص:'),
    'This asset has no recording yet: upload its master on Today.': ("Ce document n'a pas encore d'enregistrement : téléversez son fichier maître dans Aujourd'hui.", 'Este recurso aún no tiene grabación: suba su archivo maestro en Hoy.', 'У этого материала еще нет записи: загрузите мастер-файл на странице «Сегодня».', '此资料尚无录音录像：请在“今日”上传母版。', 'لا يوجد تسجيل لهذه المادة بعد: ارفع ملفها الرئيسي في صفحة اليوم.'),
    'Time': ('Temps', 'Tiempo', 'Время', '时间', 'الوقت'),
    'Title (empty: the speaker and the meeting)': ("Titre (vide : l'orateur et la séance)", 'Título (vacío: el orador y la sesión)', 'Название (пусто: выступающий и заседание)', '标题（留空：发言者和会议）', 'العنوان (فارغ: المتكلم والجلسة)'),
    'Title': ('Titre', 'Título', 'Название', '标题', 'العنوان'),
    'Today': ("Aujourd'hui", 'Hoy', 'Сегодня', '今日', 'اليوم'),
    'Unpublish': ('Dépublier', 'Retirar la publicación', 'Снять с публикации', '撤销发布', 'إلغاء النشر'),
    'Updated': ('Modifié', 'Actualizado', 'Изменено', '更新时间', 'آخر تحديث'),
    'Upload a master': ('Téléverser un fichier maître', 'Subir un archivo maestro', 'Загрузить мастер-файл', '上传母版', 'رفع ملف رئيسي'),
    'Upload': ('Téléverser', 'Subir', 'Загрузить', '上传', 'رفع'),
    'Value': ('Valeur', 'Valor', 'Значение', '值', 'القيمة'),
    'With the selection': ('Avec la sélection', 'Con la selección', 'С выбранными', '对所选项', 'مع المحدد'),
    'Workspace': ('Espace de travail', 'Espacio de trabajo', 'Рабочее место', '工作区', 'مساحة العمل'),
    'clip of': ('extrait de', 'fragmento de', 'фрагмент', '片段，出自', 'مقطع من'),
    'or upload it as a text file': ('ou téléversez-le en fichier texte', 'o súbalo como archivo de texto', 'или загрузите его текстовым файлом', '或作为文本文件上传', 'أو ارفعه كملف نصي'),
    'Connection lost; resuming': ('Connexion perdue ; reprise', 'Conexión perdida; reanudando', 'Связь потеряна; возобновление', '连接中断；正在续传', 'انقطع الاتصال؛ جارٍ الاستئناف'),
    'Move down': ('Descendre', 'Bajar', 'Вниз', '下移', 'تحريك لأسفل'),
    'Move up': ('Monter', 'Subir de posición', 'Вверх', '上移', 'تحريك لأعلى'),
    'Paused; it resumes where it stopped': ("En pause ; l'envoi reprendra là où il s'est arrêté", 'En pausa; se reanudará donde se detuvo', 'Пауза; загрузка продолжится с того же места', '已暂停；将从中断处继续', 'متوقف مؤقتًا؛ سيُستأنف من حيث توقف'),
    'The recording could not be ingested:': ("L'enregistrement n'a pas pu être versé :", 'No se pudo ingresar la grabación:', 'Не удалось принять запись:', '无法入库该录音录像：', 'تعذر إدخال التسجيل:'),
    'Uploaded; the recording is now asset': ("Téléversé ; l'enregistrement est maintenant le document", 'Subido; la grabación es ahora el recurso', 'Загружено; запись теперь материал', '已上传；该录音录像现为资料', 'تم الرفع؛ التسجيل الآن هو المادة'),
    'Uploading': ('Téléversement', 'Subiendo', 'Загрузка', '正在上传', 'جارٍ الرفع'),
    'queued': ('en attente', 'en cola', 'в очереди', '排队中', 'في الانتظار'),
    'running': ('en cours', 'en curso', 'выполняется', '运行中', 'قيد التشغيل'),
    'failed': ('en échec', 'fallida', 'не выполнено', '失败', 'فشلت'),
    'done': ('terminée', 'terminada', 'выполнено', '完成', 'اكتملت'),
    'draft': ('brouillon', 'borrador', 'черновик', '草稿', 'مسودة'),
    'published': ('publié', 'publicado', 'опубликовано', '已发布', 'منشور'),
    'embargoed': ('sous embargo', 'bajo embargo', 'под эмбарго', '禁发中', 'محظور النشر'),
    'public': ('public', 'público', 'открытый', '公开', 'عام'),
    'registered': ('inscrits', 'registrados', 'зарегистрированные', '注册用户', 'المسجلون'),
    'staff': ('personnel', 'personal', 'сотрудники', '工作人员', 'الموظفون'),
    'This field is required.': ('Ce champ est obligatoire.', 'Este campo es obligatorio.', 'Это поле обязательно.', '此字段为必填项。', 'هذا الحقل مطلوب.'),
    'Not a date: write YYYY-MM-DD.': ('Date invalide : écrivez AAAA-MM-JJ.', 'No es una fecha: escriba AAAA-MM-DD.', 'Это не дата: укажите ГГГГ-ММ-ДД.', '不是日期：请写成 年-月-日。', 'ليس تاريخًا: اكتب سنة-شهر-يوم.'),
    'Not a number: write a whole number above 0.': ('Nombre invalide : écrivez un entier supérieur à 0.', 'No es un número: escriba un entero mayor que 0.', 'Это не число: укажите целое число больше 0.', '不是数字：请写大于 0 的整数。', 'ليس رقمًا: اكتب عددًا صحيحًا أكبر من 0.'),
    'An embargo needs the day it ends (YYYY-MM-DD).': ('Un embargo exige la date de sa levée (AAAA-MM-JJ).', 'Un embargo necesita el día en que termina (AAAA-MM-DD).', 'Для эмбарго нужна дата окончания (ГГГГ-ММ-ДД).', '禁发须填写截止日期（年-月-日）。', 'يتطلب حظر النشر تاريخ انتهائه (سنة-شهر-يوم).'),
    'This value cannot be used:': ('Cette valeur ne peut pas être utilisée :', 'Este valor no se puede usar:', 'Это значение нельзя использовать:', '无法使用此值：', 'لا يمكن استخدام هذه القيمة:'),
    'None': ('Aucun', 'Ninguno', 'Нет', '无', 'لا يوجد'),
    'Meeting': ('Séance', 'Sesión', 'Заседание', '会议', 'الجلسة'),
    'Speakers': ('Orateurs', 'Oradores', 'Выступающие', '发言者', 'المتكلمون'),
    "Speaker's country or organization": ("Pays ou organisation de l'orateur", 'País u organización del orador', 'Страна или организация выступающего', '发言者所属国家或组织', 'بلد المتكلم أو منظمته'),
    'personal': ('personnes', 'personas', 'персоналии', '人物', 'أشخاص'),
    'corporate': ('collectivités', 'entidades', 'организации', '机构', 'مؤسسات'),
    'geographic': ('géographique', 'geográfica', 'география', '地理', 'جغرافي'),
    'topical': ('thématique', 'temática', 'тематика', '专题', 'موضوعي'),
    'When': ('Date', 'Fecha', 'Когда', '时间', 'التاريخ'),
    'Who': ('Qui', 'Quién', 'Кто', '操作者', 'من'),
    'What': ('Quoi', 'Qué', 'Что', '操作', 'ماذا'),
    'Field': ('Champ', 'Campo', 'Поле', '字段', 'الحقل'),
    'Before': ('Avant', 'Antes', 'До', '修改前', 'قبل'),
    'After': ('Après', 'Después', 'После', '修改后', 'بعد'),
    'Revert to this version': ('Revenir à cette version', 'Volver a esta versión', 'Вернуть эту версию', '恢复到此版本', 'العودة إلى هذه النسخة'),
    'No change has been recorded yet.': ("Aucune modification n'a encore été enregistrée.", 'Aún no se ha registrado ningún cambio.', 'Изменений пока нет.', '尚无修改记录。', 'لم يُسجَّل أي تغيير بعد.'),
}
_COLUMN = {lang: i for i, lang in enumerate(("fr", "es", "ru", "zh", "ar"))}

#: What each code of a record form's error says (English: the msgid).
FIELD_ERRORS = {
    "required": "This field is required.",
    "date": "Not a date: write YYYY-MM-DD.",
    "number": "Not a number: write a whole number above 0.",
    "embargo": "An embargo needs the day it ends (YYYY-MM-DD).",
    "invalid": "This value cannot be used:",
}


def translate(lang: str, message: str) -> str:
    """`message` (English) in the interface language `lang`."""
    row = _TABLE.get(message)
    return row[_COLUMN[lang]] if row and lang in _COLUMN else message


def field_error(code: str, request: Request) -> str:
    """A record form error (`code`, or `invalid:<detail>`) in the request's language."""
    lang = interface_language(request.query_params.get("hl"),
                              request.headers.get("accept-language"))
    code, _, detail = code.partition(":")
    text = translate(lang, FIELD_ERRORS.get(code, FIELD_ERRORS["invalid"]))
    return f"{text} {detail}" if detail else text
