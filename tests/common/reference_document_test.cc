// Reference documents (common/reference/reference_document.h): content-named versions and deltas.
#include "common/reference/reference_document.h"

#include <gtest/gtest.h>

namespace storepulse::common {
namespace {

TEST(ReferenceDocumentTest, EqualContentHasEqualVersionsAndAnyChangeAnother) {
  const DocumentRows a{{"SKU1", {{"name", "Tee"}, {"cost", 500}}}, {"SKU2", {{"name", "Cap"}}}};
  DocumentRows b;
  b["SKU2"] = {{"name", "Cap"}};
  b["SKU1"] = {{"cost", 500}, {"name", "Tee"}};  // members and keys in another order
  EXPECT_EQ(DocumentVersion(a), DocumentVersion(b));
  EXPECT_EQ(DocumentVersion(a).size(), 16u);

  b["SKU1"]["cost"] = 501;
  EXPECT_NE(DocumentVersion(a), DocumentVersion(b));
  // The separators keep a key and its row apart: "ab" + "c" is not "a" + "bc".
  EXPECT_NE(DocumentVersion({{"ab", "c"}}), DocumentVersion({{"a", "bc"}}));
  EXPECT_NE(DocumentVersion({}), DocumentVersion({{"", nullptr}}));
}

TEST(ReferenceDocumentTest, ADeltaCarriesOnlyWhatChangedAndRebuildsTheNewVersion) {
  const DocumentRows from{{"A", 1}, {"B", 2}, {"C", 3}};
  const DocumentRows to{{"A", 1}, {"B", 20}, {"D", 4}};
  const DocumentDelta delta = DiffDocuments(from, to);
  EXPECT_EQ(delta.upserts, (DocumentRows{{"B", 20}, {"D", 4}}));
  EXPECT_EQ(delta.removals, std::vector<std::string>{"C"});

  DocumentRows rows = from;
  ApplyDocumentDelta(rows, delta);
  EXPECT_EQ(rows, to);
  EXPECT_EQ(DocumentVersion(rows), DocumentVersion(to));
  EXPECT_TRUE(DiffDocuments(to, to).upserts.empty());
}

}  // namespace
}  // namespace storepulse::common
