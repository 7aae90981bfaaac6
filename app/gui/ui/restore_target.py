# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'restore_target.ui'
##
## Created by: Qt User Interface Compiler version 6.10.1
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QFormLayout, QHeaderView, QLabel, QSizePolicy,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_RestoreTarget(object):
    def setupUi(self, RestoreTarget):
        if not RestoreTarget.objectName():
            RestoreTarget.setObjectName(u"RestoreTarget")
        RestoreTarget.resize(560, 380)
        self.column = QVBoxLayout(RestoreTarget)
        self.column.setObjectName(u"column")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.serverLabel = QLabel(RestoreTarget)
        self.serverLabel.setObjectName(u"serverLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.serverLabel)

        self.serverBox = QComboBox(RestoreTarget)
        self.serverBox.setObjectName(u"serverBox")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.serverBox)

        self.serverNote = QLabel(RestoreTarget)
        self.serverNote.setObjectName(u"serverNote")
        self.serverNote.setWordWrap(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.serverNote)


        self.column.addLayout(self.form)

        self.namesLabel = QLabel(RestoreTarget)
        self.namesLabel.setObjectName(u"namesLabel")
        self.namesLabel.setWordWrap(True)

        self.column.addWidget(self.namesLabel)

        self.namesTable = QTableWidget(RestoreTarget)
        if (self.namesTable.columnCount() < 2):
            self.namesTable.setColumnCount(2)
        __qtablewidgetitem = QTableWidgetItem()
        self.namesTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.namesTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        self.namesTable.setObjectName(u"namesTable")
        self.namesTable.setAlternatingRowColors(True)
        self.namesTable.setSelectionMode(QAbstractItemView.SingleSelection)
        self.namesTable.horizontalHeader().setStretchLastSection(True)
        self.namesTable.verticalHeader().setVisible(False)

        self.column.addWidget(self.namesTable)

        self.namesNote = QLabel(RestoreTarget)
        self.namesNote.setObjectName(u"namesNote")
        self.namesNote.setWordWrap(True)

        self.column.addWidget(self.namesNote)

        self.safetyCopy = QCheckBox(RestoreTarget)
        self.safetyCopy.setObjectName(u"safetyCopy")
        self.safetyCopy.setChecked(True)

        self.column.addWidget(self.safetyCopy)

        self.usersBox = QCheckBox(RestoreTarget)
        self.usersBox.setObjectName(u"usersBox")

        self.column.addWidget(self.usersBox)

        self.safetyNote = QLabel(RestoreTarget)
        self.safetyNote.setObjectName(u"safetyNote")
        self.safetyNote.setWordWrap(True)

        self.column.addWidget(self.safetyNote)

#if QT_CONFIG(shortcut)
        self.serverLabel.setBuddy(self.serverBox)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.serverBox, self.namesTable)
        QWidget.setTabOrder(self.namesTable, self.safetyCopy)
        QWidget.setTabOrder(self.safetyCopy, self.usersBox)

        self.retranslateUi(RestoreTarget)

        QMetaObject.connectSlotsByName(RestoreTarget)
    # setupUi

    def retranslateUi(self, RestoreTarget):
        self.serverLabel.setText(QCoreApplication.translate("RestoreTarget", u"&Target server:", None))
#if QT_CONFIG(tooltip)
        self.serverBox.setToolTip(QCoreApplication.translate("RestoreTarget", u"The server the backup is restored onto", None))
#endif // QT_CONFIG(tooltip)
        self.namesLabel.setText(QCoreApplication.translate("RestoreTarget", u"Restore each database under this name (double-click a name to change it):", None))
        ___qtablewidgetitem = self.namesTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("RestoreTarget", u"Database in the backup", None));
        ___qtablewidgetitem1 = self.namesTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("RestoreTarget", u"Restore as", None));
        self.safetyCopy.setText(QCoreApplication.translate("RestoreTarget", u"&Keep a safety copy of everything the restore replaces", None))
        self.usersBox.setText(QCoreApplication.translate("RestoreTarget", u"Create the backup's &users and grants that the target lacks", None))
        pass
    # retranslateUi

