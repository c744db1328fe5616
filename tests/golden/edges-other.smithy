$version: "2.0"

// A second namespace for edges.smithy: ``hollow`` becomes the class name
// ``Hollow`` too, which example.edges#Hollow already holds.
namespace example.other

structure hollow {
    name: String
}
