//! The registry of live handles. A handle given to the application (or driver manager) is a
//! TOKEN: slot index + generation packed into a pointer-sized integer, never an address. Lookups
//! check the slot, the generation and the kind without dereferencing anything, so garbage,
//! freed and wrong-type handles are refused (SQL_INVALID_HANDLE) instead of crashing.
//!
//! Packing: the low half of the word is `index + 1` (so a token is never null), the high half
//! the slot's generation (never 0), which changes every time a slot is reused.

use std::sync::Arc;

use parking_lot::RwLock;

use super::dbc::Dbc;
use super::desc::Desc;
use super::diag::{DiagArea, OdbcError};
use super::env::Env;
use super::ffi::SqlHandle;
use super::stmt::Stmt;

/// A live object behind a handle.
#[derive(Clone)]
pub enum Object {
    /// SQL_HANDLE_ENV.
    Env(Arc<Env>),
    /// SQL_HANDLE_DBC.
    Dbc(Arc<Dbc>),
    /// SQL_HANDLE_STMT.
    Stmt(Arc<Stmt>),
    /// SQL_HANDLE_DESC.
    Desc(Arc<Desc>),
}

/// The object types a handle can name.
pub trait Kind: Sized {
    /// The object as this kind, if it is one.
    fn from_object(object: &Object) -> Option<Arc<Self>>;
    /// The object's diagnostic area.
    fn diag(&self) -> &parking_lot::Mutex<DiagArea>;
    /// HY010 while the object is in a sequence that most functions may not interrupt (a
    /// statement waiting for data-at-execution parameters); the entry wrapper asks this before
    /// every function but the few the specification allows in that state.
    fn accepts_calls(&self) -> Result<(), OdbcError> {
        Ok(())
    }
}

const HALF: u32 = usize::BITS / 2;
const LOW_MASK: usize = (1usize << HALF) - 1;

struct Slot {
    generation: usize,
    object: Option<Object>,
}

struct Registry {
    slots: Vec<Slot>,
    free: Vec<usize>,
}

static REGISTRY: RwLock<Registry> = RwLock::new(Registry {
    slots: Vec::new(),
    free: Vec::new(),
});

fn pack(index: usize, generation: usize) -> usize {
    (generation << HALF) | (index + 1)
}

fn unpack(token: usize) -> Option<(usize, usize)> {
    let index = (token & LOW_MASK).checked_sub(1)?;
    Some((index, token >> HALF))
}

/// Registers `object` and returns its new handle, or `None` when every slot is taken.
pub fn register(object: Object) -> Option<SqlHandle> {
    let mut reg = REGISTRY.write();
    let index = match reg.free.pop() {
        Some(i) => i,
        None => {
            let i = reg.slots.len();
            if i >= LOW_MASK {
                return None;
            }
            reg.slots.push(Slot {
                generation: 0,
                object: None,
            });
            i
        }
    };
    let slot = reg.slots.get_mut(index)?;
    let next = (slot.generation + 1) & LOW_MASK;
    slot.generation = if next == 0 { 1 } else { next };
    slot.object = Some(object);
    Some(pack(index, slot.generation) as SqlHandle)
}

/// The live object of kind `T` named by `handle`, without dereferencing the handle.
pub fn lookup<T: Kind>(handle: SqlHandle) -> Option<Arc<T>> {
    let (index, generation) = unpack(handle as usize)?;
    let reg = REGISTRY.read();
    let slot = reg.slots.get(index)?;
    if slot.generation != generation {
        return None;
    }
    T::from_object(slot.object.as_ref()?)
}

/// Removes `handle` from the registry if it names a live object of kind `T`; a second release
/// of the same handle finds nothing.
pub fn release<T: Kind>(handle: SqlHandle) -> Option<Arc<T>> {
    let (index, generation) = unpack(handle as usize)?;
    let mut reg = REGISTRY.write();
    let slot = reg.slots.get_mut(index)?;
    if slot.generation != generation {
        return None;
    }
    let object = T::from_object(slot.object.as_ref()?)?;
    slot.object = None;
    reg.free.push(index);
    Some(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_never_null() {
        assert_eq!(unpack(pack(0, 1)), Some((0, 1)));
        assert_eq!(unpack(pack(41, 7)), Some((41, 7)));
        assert_ne!(pack(0, 1), 0);
        assert_eq!(unpack(0), None);
    }

    #[test]
    fn stale_garbage_and_wrong_kind_handles_are_refused() {
        let env = Env::new_for_tests();
        let h = register(Object::Env(env)).unwrap();
        assert!(lookup::<Env>(h).is_some());
        assert!(lookup::<Dbc>(h).is_none(), "wrong kind");
        assert!(lookup::<Env>(0xDEAD_BEEFusize as SqlHandle).is_none());
        assert!(lookup::<Env>(std::ptr::null_mut()).is_none());
        assert!(release::<Env>(h).is_some());
        assert!(lookup::<Env>(h).is_none(), "freed");
        assert!(release::<Env>(h).is_none(), "double free");
        // The slot is reused with a new generation: the old token stays dead.
        let h2 = register(Object::Env(Env::new_for_tests())).unwrap();
        assert_ne!(h, h2);
        assert!(lookup::<Env>(h).is_none());
        assert!(release::<Env>(h2).is_some());
    }
}
