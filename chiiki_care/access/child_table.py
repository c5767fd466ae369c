import frappe
from frappe.model.document import Document


class RestrictedChildDocument(Document):
	"""A child row of a DocType with row rules.

	Loaded on its own (e.g. `/api/resource/Support Plan Action/<row>`), Frappe checks the row's
	permission on its parent DocType but not on its parent document; knowing the parent document
	makes that check apply the parent's row rules too.
	"""

	def load_from_db(self):
		super().load_from_db()
		if not getattr(self, "parent_doc", None) and self.parenttype and self.parent:
			self.parent_doc = frappe.get_doc(self.parenttype, self.parent)
